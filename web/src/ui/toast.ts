// Short confirmations and errors, announced by screen readers through a live region.
import { h, icon } from "../dom";

let region: HTMLElement | null = null;

export function toast(message: string, kind: "info" | "success" | "error" = "info"): void {
  if (!region) {
    region = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
    document.body.appendChild(region);
  }
  const item = h("div", { class: `toast toast-${kind}` },
    icon(kind === "error" ? "alert" : "check"), h("span", null, message));
  region.appendChild(item);
  setTimeout(() => item.classList.add("leaving"), kind === "error" ? 6000 : 3500);
  setTimeout(() => item.remove(), kind === "error" ? 6400 : 3900);
}
