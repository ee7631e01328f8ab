// The pieces the big pages were split into, tested on their own: the gallery's URL filter, the
// generate page's submit row (why the button is disabled) and prompt counter.
import { describe, expect, test } from "vitest";
import { filterForm, filterQuery, isFiltered, readFilter, sameFilter } from "../../web/src/pages/gallery/filter";
import { MAX_PROMPT, promptField } from "../../web/src/pages/generate/prompt_field";
import { submitRow } from "../../web/src/pages/generate/submit_row";

describe("gallery filter", () => {
  test("reads only the known type and status from the URL", () => {
    expect(readFilter(new URLSearchParams("type=UPLOADED&status=FAILED"))).toEqual({ type: "UPLOADED", status: "FAILED" });
    expect(readFilter(new URLSearchParams("type=uploaded&status=DONE&x=1"))).toEqual({ type: "", status: "" });
  });

  test("round-trips through the query string, and an empty filter has none", () => {
    const f = { type: "GENERATED", status: "PENDING" } as const;
    expect(readFilter(new URLSearchParams(filterQuery(f).slice(1)))).toEqual(f);
    expect(filterQuery({ type: "", status: "" })).toBe("");
    expect(isFiltered({ type: "", status: "" })).toBe(false);
    expect(isFiltered({ type: "", status: "FAILED" })).toBe(true);
    expect(sameFilter(f, { ...f })).toBe(true);
    expect(sameFilter(f, { ...f, status: "" })).toBe(false);
  });

  test("the form reports what the person picked and shows a filter put back", () => {
    const picked: unknown[] = [];
    const form = filterForm({ type: "", status: "" }, (f) => picked.push(f));
    const type = form.el.querySelector<HTMLSelectElement>("#filter-type")!;
    type.value = "UPLOADED";
    form.el.dispatchEvent(new Event("change"));
    expect(picked).toEqual([{ type: "UPLOADED", status: "" }]);
    form.show({ type: "GENERATED", status: "COMPLETED" });
    expect(type.value).toBe("GENERATED");
    expect(form.el.querySelector<HTMLSelectElement>("#filter-status")!.value).toBe("COMPLETED");
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
