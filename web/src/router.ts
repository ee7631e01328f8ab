// History-API routing: same-origin links are intercepted, each path maps to a page factory. A page
// may take a new route of its own kind in place (update) so, e.g., opening an image's detail keeps
// the gallery's scroll position and loaded pages.

export interface Route {
  name: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Page {
  el: HTMLElement;
  title: string;
  // Return true when the page showed the new route itself; false to be replaced.
  update?(route: Route): boolean;
  destroy?(): void;
}

interface RouteDef {
  name: string;
  pattern: RegExp;
  keys: string[];
  make: (route: Route) => Page;
  public?: boolean;
}

const defs: RouteDef[] = [];
let fallback: ((route: Route) => Page) | null = null;
let guard: (route: Route, isPublic: boolean) => string | null = () => null;
let onChange: (route: Route) => void = () => {};
let outlet: HTMLElement;
let current: { def: RouteDef | null; page: Page } | null = null;
let firstRender = true;

export function addRoute(name: string, path: string, make: (route: Route) => Page, isPublic = false): void {
  const keys: string[] = [];
  // ":id" is a segment, "/:id?" an optional last segment.
  const source = path.replace(/(\/)?:(\w+)(\?)?/g, (_, slash: string | undefined, key: string, optional: string | undefined) => {
    keys.push(key);
    return optional ? `(?:${slash ?? ""}([^/]+))?` : `${slash ?? ""}([^/]+)`;
  });
  defs.push({ name, pattern: new RegExp(`^${source}/?$`), keys, make, public: isPublic });
}

export function setFallback(make: (route: Route) => Page): void {
  fallback = make;
}

// Returns a URL to go to instead (sign-in for a signed-out user), or null to proceed.
export function setGuard(fn: (route: Route, isPublic: boolean) => string | null): void {
  guard = fn;
}

export function onRouteChange(fn: (route: Route) => void): void {
  onChange = fn;
}

export function start(el: HTMLElement): void {
  outlet = el;
  window.addEventListener("popstate", () => render());
  document.addEventListener("click", interceptLinks);
  render();
}

export function navigate(url: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
}

// Re-creates the current page (after a language switch every string must be rebuilt).
export function reload(): void {
  current?.page.destroy?.();
  current = null;
  render();
}

export const currentPath = (): string => location.pathname + location.search;

function interceptLinks(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = (event.target as Element).closest?.("a");
  if (!a || a.target || a.hasAttribute("download") || a.dataset.native !== undefined) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  if (url.pathname + url.search !== currentPath()) navigate(url.pathname + url.search);
}

function match(): { def: RouteDef | null; route: Route } {
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  for (const def of defs) {
    const m = def.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    def.keys.forEach((key, i) => {
      if (m[i + 1] !== undefined) params[key] = decodeURIComponent(m[i + 1]);
    });
    return { def, route: { name: def.name, path, params, query } };
  }
  return { def: null, route: { name: "not-found", path, params: {}, query } };
}

function render(): void {
  const { def, route } = match();
  const redirect = guard(route, def?.public ?? false);
  if (redirect) {
    history.replaceState(null, "", redirect);
    render();
    return;
  }
  onChange(route);
  if (current && current.def === def && def && current.page.update?.(route)) {
    document.title = current.page.title;
    return;
  }
  current?.page.destroy?.();
  const page = def ? def.make(route) : fallback!(route);
  current = { def, page };
  outlet.replaceChildren(page.el);
  document.title = page.title;
  if (!firstRender) {
    // Tell assistive tech the screen changed: focus the new page's heading.
    const heading = page.el.querySelector<HTMLElement>("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }
  firstRender = false;
}
