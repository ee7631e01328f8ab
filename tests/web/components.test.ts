// The pieces the big pages were split into, tested on their own: the gallery's URL filter, the
// generate page's submit row (why the button is disabled) and prompt counter.
import { describe, expect, test } from "vitest";
import { filterForm, filterQuery, isFiltered, readFilter, sameFilter } from "../../web/src/pages/gallery/filter";
import { MAX_PROMPT, promptField } from "../../web/src/pages/generate/prompt_field";
import { submitRow } from "../../web/src/pages/generate/submit_row";

describe("gallery filter", () => {
  const none = { type: "", status: "", favorite: false, q: "" } as const;

  test("reads only the known type and status from the URL, the search words and favourites", () => {
    expect(readFilter(new URLSearchParams("type=UPLOADED&status=FAILED"))).toEqual({ ...none, type: "UPLOADED", status: "FAILED" });
    expect(readFilter(new URLSearchParams("type=uploaded&status=DONE&x=1"))).toEqual(none);
    expect(readFilter(new URLSearchParams("q=caf%C3%A9&favorite=true"))).toEqual({ ...none, q: "café", favorite: true });
    expect(readFilter(new URLSearchParams("favorite=yes"))).toEqual(none);
    expect(readFilter(new URLSearchParams(`q=${"a".repeat(500)}`)).q.length).toBe(200);
  });

  test("round-trips through the query string, and an empty filter has none", () => {
    const f = { type: "GENERATED", status: "PENDING", favorite: true, q: "red boat" } as const;
    expect(readFilter(new URLSearchParams(filterQuery(f).slice(1)))).toEqual(f);
    expect(filterQuery(none)).toBe("");
    expect(filterQuery({ ...none, q: "   " })).toBe("");
    expect(isFiltered(none)).toBe(false);
    expect(isFiltered({ ...none, status: "FAILED" })).toBe(true);
    expect(isFiltered({ ...none, favorite: true })).toBe(true);
    expect(isFiltered({ ...none, q: "x" })).toBe(true);
    expect(sameFilter(f, { ...f })).toBe(true);
    expect(sameFilter(f, { ...f, status: "" })).toBe(false);
    expect(sameFilter(f, { ...f, favorite: false })).toBe(false);
    expect(sameFilter(f, { ...f, q: "red boat " })).toBe(true);
  });

  test("the form reports what the person picked and shows a filter put back", () => {
    const picked: unknown[] = [];
    const form = filterForm(none, (f) => picked.push(f));
    const type = form.el.querySelector<HTMLSelectElement>("#filter-type")!;
    type.value = "UPLOADED";
    form.el.dispatchEvent(new Event("change"));
    expect(picked).toEqual([{ ...none, type: "UPLOADED" }]);
    const favorite = form.el.querySelector<HTMLInputElement>("#filter-favorite")!;
    favorite.checked = true;
    form.el.dispatchEvent(new Event("change"));
    expect(picked.at(-1)).toEqual({ ...none, type: "UPLOADED", favorite: true });
    const search = form.el.querySelector<HTMLInputElement>("#filter-q")!;
    search.value = "lighthouse";
    form.el.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(picked.at(-1)).toEqual({ type: "UPLOADED", status: "", favorite: true, q: "lighthouse" });
    form.show({ type: "GENERATED", status: "COMPLETED", favorite: false, q: "sea" });
    expect(type.value).toBe("GENERATED");
    expect(form.el.querySelector<HTMLSelectElement>("#filter-status")!.value).toBe("COMPLETED");
    expect(favorite.checked).toBe(false);
    expect(search.value).toBe("sea");
  });
});

describe("generate submit row", () => {
  const base = { cost: 10, balance: 50, submitting: false, promptTooLong: false, busy: false };
  const render = (state: Partial<typeof base>) => {
    const row = submitRow();
    row.render({ ...base, ...state });
    return {
      disabled: row.el.querySelector("button")!.disabled,
      reason: row.el.querySelector("#submit-reason")!.textContent,
      blocking: row.el.querySelector("#submit-reason")!.classList.contains("is-blocking"),
    };
  };

  test("enabled with enough coins and a good prompt", () => {
    expect(render({})).toEqual({ disabled: false, reason: "", blocking: false });
  });

  test("short of coins says so and blocks; a long prompt says so", () => {
    const short = render({ balance: 9 });
    expect(short.disabled).toBe(true);
    expect(short.blocking).toBe(true);
    expect(short.reason).not.toBe("");
    const long = render({ promptTooLong: true });
    expect(long.disabled).toBe(true);
    expect(long.blocking).toBe(false);
    expect(long.reason).not.toBe("");
  });

  test("disabled without a reason while submitting or uploading", () => {
    expect(render({ submitting: true })).toMatchObject({ disabled: true, reason: "" });
    expect(render({ busy: true })).toMatchObject({ disabled: true, reason: "" });
  });
});

describe("prompt field", () => {
  test("counts code points of the trimmed prompt and flags one over the limit", () => {
    const field = promptField(() => {});
    field.set("  😀a  ");
    expect(field.length()).toBe(2);
    expect(field.tooLong()).toBe(false);
    field.set("x".repeat(MAX_PROMPT + 1));
    field.render();
    expect(field.tooLong()).toBe(true);
    expect(field.el.querySelector(".char-count")!.classList.contains("over")).toBe(true);
  });
});
