// Modal dialogs on the native <dialog>: showModal() makes the rest of the page inert and keeps Tab
// inside; we add the title/close chrome, Escape and backdrop-click to close, and return focus to
// whatever opened the dialog.
import { h, icon } from "../dom";
import { t } from "../i18n";

export interface DialogHandle {
  el: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

interface DialogOptions {
  title: string;
  content: Node | Node[];
  className?: string;
  onClose?: () => void;
  // Element to focus first; defaults to the first focusable control in the content.
  initialFocus?: HTMLElement;
}

let counter = 0;

export function openDialog(options: DialogOptions): DialogHandle {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = `dialog-title-${++counter}`;
  const body = h("div", { class: "dialog-body" });
  body.append(...(Array.isArray(options.content) ? options.content : [options.content]));
  const closeButton = h("button", { type: "button", class: "icon-button dialog-close", "aria-label": t("app.close") }, icon("close"));
  const el = h("dialog", { class: `dialog ${options.className ?? ""}`, "aria-labelledby": titleId },
    h("div", { class: "dialog-head" }, h("h2", { id: titleId }, options.title), closeButton),
    body);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    el.close();
    el.remove();
    options.onClose?.();
    if (opener?.isConnected) opener.focus();
  };
  closeButton.addEventListener("click", close);
  el.addEventListener("cancel", (e) => {
    e.preventDefault();
    close();
  });
  // A click whose target is the <dialog> itself landed on the backdrop (the content fills the box).
  el.addEventListener("click", (e) => {
    if (e.target === el) close();
  });
  document.body.appendChild(el);
  el.showModal();
  const candidates = body.querySelectorAll<HTMLElement>("[autofocus], input, textarea, select, button, a[href]");
  const usable = [...candidates].find((c) => !(c as HTMLButtonElement).disabled && c.getClientRects().length > 0);
  (options.initialFocus ?? usable ?? closeButton).focus();
  return { el, body, close };
}

// Resolves true when the person confirms.
export function confirmDialog(title: string, message: string, confirmLabel: string, danger = true): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const cancel = h("button", { type: "button", class: "button" }, t("app.cancel"));
    const confirm = h("button", { type: "button", class: `button ${danger ? "button-danger" : "button-primary"}` }, confirmLabel);
    const handle = openDialog({
      title,
      className: "dialog-small",
      content: [h("p", null, message), h("div", { class: "dialog-actions" }, cancel, confirm)],
      initialFocus: cancel,
      onClose: () => resolve(answer),
    });
    cancel.addEventListener("click", () => handle.close());
    confirm.addEventListener("click", () => {
      answer = true;
      handle.close();
    });
  });
}
