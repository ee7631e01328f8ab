// The app's whole "framework": build elements with h(), replace children with mount(). Pages keep
// references to the few nodes they update instead of re-rendering.

type Child = Node | string | number | null | undefined | false | Child[];
type Listener = (event: any) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Listener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === "function") {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === "value" && "value" in el) {
        (el as HTMLInputElement).value = String(value);
      } else {
        el.setAttribute(key, value === true ? "" : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

// Replaces every child of `parent`.
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

// SVG icons are a handful of paths; building them here keeps them in the JS bundle, no requests.
export function icon(name: keyof typeof ICONS, label?: string): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", `icon icon-${name}`);
  if (label) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  } else {
    svg.setAttribute("aria-hidden", "true");
  }
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  svg.appendChild(path);
  return svg;
}

const ICONS = {
  coin: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 3.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zm-1 2.5v1.1c-1.4.3-2.3 1.2-2.3 2.4 0 1.5 1.2 2.1 2.9 2.5 1.2.3 1.6.6 1.6 1.1s-.5.9-1.3.9c-.9 0-1.5-.4-1.6-1.1H8.4c.1 1.4 1.1 2.3 2.6 2.6V17h1.9v-1.1c1.5-.3 2.4-1.2 2.4-2.5 0-1.6-1.3-2.2-3-2.6-1.1-.3-1.5-.5-1.5-1s.5-.8 1.1-.8c.7 0 1.2.3 1.3.9h1.9c-.1-1.3-1-2.2-2.3-2.5V8z",
  image: "M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 2v9.6l4.3-4.3a1 1 0 0 1 1.4 0L13 14.6l2.3-2.3a1 1 0 0 1 1.4 0L20 15.6V6H4zm11.5 1.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4z",
  sparkles: "M9 2l1.9 5.1L16 9l-5.1 1.9L9 16l-1.9-5.1L2 9l5.1-1.9L9 2zm9 9l1 2.8 2.8 1-2.8 1-1 2.8-1-2.8-2.8-1 2.8-1 1-2.8z",
  upload: "M12 3l5 5h-3.5v6h-3V8H7l5-5zM4 15h2v3h12v-3h2v5H4v-5z",
  close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4 6.4 5z",
  star: "M12 17.3 18.2 21l-1.6-7L22 9.2l-7.2-.6L12 2 9.2 8.6 2 9.2 7.4 14l-1.6 7L12 17.3z",
  starOutline: "M22 9.2l-7.2-.6L12 2 9.2 8.6 2 9.2 7.4 14l-1.6 7L12 17.3 18.2 21l-1.6-7L22 9.2zM12 15.4l-3.8 2.3 1-4.3-3.3-2.9 4.4-.4L12 6.1l1.7 4 4.4.4-3.3 2.9 1 4.3-3.8-2.3z",
  share: "M18 16.1c-.8 0-1.5.3-2 .8l-7.1-4.2c.1-.2.1-.5.1-.7s0-.5-.1-.7L16 7.2c.5.5 1.2.8 2 .8a3 3 0 1 0-3-3c0 .2 0 .5.1.7L8 9.8A3 3 0 1 0 8 14.2l7.1 4.2c-.1.2-.1.4-.1.6a2.9 2.9 0 1 0 3-2.9z",
  check: "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2z",
  alert: "M12 2 1 21h22L12 2zm0 4.8L19.5 19h-15L12 6.8zM11 10v4h2v-4h-2zm0 6v2h2v-2h-2z",
  download: "M11 3h2v9.2l3.3-3.3 1.4 1.4-5.7 5.7-5.7-5.7 1.4-1.4 3.3 3.3V3zM4 18h16v2H4v-2z",
  trash: "M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9zm3.5 2 .4 8h1.6l-.3-8H9.5zm3.7 0-.3 8h1.6l.4-8h-1.7z",
  edit: "M3 17.2V21h3.8L17.8 10l-3.8-3.8L3 17.2zm17.7-10.1a1 1 0 0 0 0-1.4l-2.4-2.4a1 1 0 0 0-1.4 0l-1.8 1.8 3.8 3.8 1.8-1.8z",
  remix: "M17 3l4 4-4 4V8h-3.2l-2.3 3.2-1.2-1.7L12.8 6H17V3zM3 6h4.2l9 12H17v-3l4 4-4 4v-3h-1.8l-9-12H3V6zm0 10h4.2l1.4-1.9 1.2 1.7L8 18H3v-2z",
  user: "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z",
  chevron: "M7 10l5 5 5-5H7z",
  google: "M21.6 12.2c0-.7-.1-1.4-.2-2H12v3.8h5.4a4.6 4.6 0 0 1-2 3v2.5h3.2c1.9-1.7 3-4.3 3-7.3zM12 22c2.7 0 5-.9 6.6-2.4l-3.2-2.5c-.9.6-2 1-3.4 1-2.6 0-4.8-1.8-5.6-4.1H3.1v2.6A10 10 0 0 0 12 22zM6.4 14c-.2-.6-.3-1.3-.3-2s.1-1.4.3-2V7.4H3.1a10 10 0 0 0 0 9.2L6.4 14zM12 5.9c1.5 0 2.8.5 3.8 1.5l2.9-2.9A10 10 0 0 0 3.1 7.4L6.4 10c.8-2.3 3-4.1 5.6-4.1z",
} as const;
