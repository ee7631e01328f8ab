// The History-API router (web/src/router.ts) in happy-dom: patterns and params, the guard's redirect,
// in-place updates, the fallback, and which link clicks it takes over (same-origin, plain left click)
// and which it leaves to the browser.
import { beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { Page, Route } from "../../web/src/router";

// One router for the file: start() adds window and document listeners that no module reset removes,
// so a second instance would answer the same events.
let router: typeof import("../../web/src/router");
let outlet: HTMLElement;
const made: Route[] = [];

function page(title: string, update?: (r: Route) => boolean): Page {
  const el = document.createElement("section");
  el.innerHTML = `<h1>${title}</h1>`;
  return { el, title, update, destroy: vi.fn() };
}

beforeAll(async () => {
  document.body.innerHTML = "<main></main>";
  outlet = document.querySelector("main")!;
  router = await import("../../web/src/router");
  const make = (title: string) => (r: Route) => (made.push(r), page(title));
  router.addRoute("gallery", "/gallery/:id?", make("Gallery"));
  router.addRoute("image", "/images/:id", make("Image"));
  router.addRoute("sign-in", "/sign-in", make("Sign in"), true);
  router.setFallback(make("Not found"));
  router.start(outlet);
});

beforeEach(() => {
  router.setGuard(() => null);
  router.navigate("/", { replace: true });
  made.length = 0;
});

const go = (path: string) => router.navigate(path);
const title = () => outlet.querySelector("h1")?.textContent;

describe("router", () => {
  test("paths map to pages with decoded params and the query", () => {
    go("/images/a%20b?download=1");
    expect(title()).toBe("Image");
    expect(made.at(-1)).toMatchObject({ name: "image", params: { id: "a b" } });
    expect(made.at(-1)!.query.get("download")).toBe("1");
    go("/gallery");
    expect(made.at(-1)).toMatchObject({ name: "gallery", params: {} });
    go("/gallery/xyz/");  // a trailing slash is the same route
    expect(made.at(-1)).toMatchObject({ name: "gallery", params: { id: "xyz" } });
  });

  test("anything else is the fallback, including extra segments", () => {
    for (const path of ["/nope", "/images", "/images/a/b", "/gallery/a/b"]) {
      go(path);
      expect(title(), path).toBe("Not found");
      expect(made.at(-1)!.name).toBe("not-found");
    }
  });

  test("the guard's redirect replaces the entry, then the target renders", () => {
    router.setGuard((route, isPublic) => (isPublic ? null : `/sign-in?redirect=${encodeURIComponent(route.path)}`));
    const length = history.length;
    go("/gallery");
    expect(location.pathname + location.search).toBe("/sign-in?redirect=%2Fgallery");
    expect(title()).toBe("Sign in");
    expect(history.length).toBe(length + 1);  // the guarded entry was replaced, not added to
  });

  test("a page that takes the new route in place is kept; otherwise it is destroyed and replaced", () => {
    const updates: string[] = [];
    const kept = page("Gallery", (r) => (updates.push(r.params.id ?? ""), true));
    router.addRoute("list", "/list/:id?", () => kept);
    go("/list");
    go("/list/1");
    expect(updates).toEqual(["1"]);
    expect(outlet.firstElementChild).toBe(kept.el);
    go("/images/2");
    expect(kept.destroy).toHaveBeenCalledTimes(1);
    expect(title()).toBe("Image");
  });

  test("plain same-origin link clicks are routed; others are left to the browser", () => {
    const nav = document.createElement("nav");  // outside the outlet, which each route replaces
    document.body.append(nav);
    nav.insertAdjacentHTML("beforeend", `
      <a id="in" href="/images/7">in</a><a id="api" href="/api/images/7/content">api</a>
      <a id="out" href="https://elsewhere.test/images/7">out</a><a id="blank" href="/images/8" target="_blank">blank</a>
      <a id="dl" href="/images/9" download>dl</a><a id="native" href="/images/10" data-native>native</a>`);
    // Whether the router took the click: read after its document listener, then the default action is
    // cancelled so happy-dom does not really follow the link.
    let taken = false;
    const record = (event: Event) => {
      taken = event.defaultPrevented;
      event.preventDefault();
    };
    window.addEventListener("click", record);
    const click = (id: string, init: MouseEventInit = {}) => {
      document.getElementById(id)!.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, button: 0, ...init }));
      return taken;
    };
    expect(click("in")).toBe(true);
    expect(location.pathname).toBe("/images/7");
    for (const id of ["api", "out", "blank", "dl", "native"]) expect(click(id), id).toBe(false);
    // Modifier keys and other buttons mean "new tab" and friends.
    nav.insertAdjacentHTML("beforeend", `<a id="again" href="/gallery">g</a>`);
    for (const init of [{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }]) {
      expect(click("again", init), JSON.stringify(init)).toBe(false);
    }
    expect(location.pathname).toBe("/images/7");
    window.removeEventListener("click", record);
    nav.remove();
  });

  test("a popstate (back, forward) renders the entry the browser landed on", () => {
    go("/gallery");
    history.replaceState(null, "", "/images/1");  // where the browser's history moved to
    window.dispatchEvent(new PopStateEvent("popstate"));
    expect(title()).toBe("Image");
    expect(made.at(-1)).toMatchObject({ name: "image", params: { id: "1" } });
  });
});
