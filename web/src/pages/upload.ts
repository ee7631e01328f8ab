// Upload: drop or pick several files; each is checked like the server checks it, then sent with its
// own progress bar (two at a time) and its own result or server error.
import * as api from "../api";
import { h, icon } from "../dom";
import { formatBytes, t } from "../i18n";
import type { Page } from "../router";
import { currentConfig } from "../session";
import { ACCEPT, checkUpload } from "../upload_check";
import { thumbnailImg } from "../ui/image_card";
import { errorMessage } from "../ui/states";

const PARALLEL = 2;

interface Job {
  file: File;
  row: HTMLElement;
  bar: HTMLProgressElement;
  status: HTMLElement;
  preview: HTMLElement;
  state: "queued" | "uploading" | "done" | "failed";
}

let rowCounter = 0;

export function uploadPage(): Page {
  const config = currentConfig();
  const queue: Job[] = [];
  let active = 0;

  const input = h("input", { type: "file", id: "upload-input", accept: ACCEPT, multiple: true, class: "visually-hidden-input" });
  const zone = h("div", { class: "dropzone" },
    icon("upload"),
    h("p", { class: "dropzone-title" }, t("upload.drop")),
    h("p", { class: "muted" }, t("upload.or")),
    h("label", { for: "upload-input", class: "button button-primary" }, t("upload.choose")),
    input,
    h("p", { class: "muted small" }, t("upload.rules", { max: formatBytes(config.maxUploadBytes) })));
  const list = h("ul", { class: "upload-list", "aria-label": t("upload.list") });
  const footer = h("div", { class: "upload-footer", hidden: true },
    h("button", { type: "button", class: "button", onclick: () => clearFinished() }, t("upload.clear")),
    h("a", { href: "/gallery", class: "button" }, icon("image"), t("upload.viewGallery")));
  const el = h("section", { class: "page page-narrow" }, h("h1", null, t("upload.title")), zone, list, footer);

  // The label is the visible control; focus on the hidden input shows on the zone.
  input.addEventListener("focus", () => zone.classList.add("focused"));
  input.addEventListener("blur", () => zone.classList.remove("focused"));
  input.addEventListener("change", () => {
    addFiles([...(input.files ?? [])]);
    input.value = "";
  });
  let depth = 0;
  zone.addEventListener("dragenter", (e) => {
    e.preventDefault();
    depth++;
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragover", (e) => e.preventDefault());
  zone.addEventListener("dragleave", () => {
    if (--depth <= 0) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove("dragging");
    addFiles([...(e.dataTransfer?.files ?? [])]);
  });

  function addFiles(files: File[]) {
    for (const file of files) {
      const id = `upload-row-${++rowCounter}`;
      const bar = h("progress", { max: 100, value: 0, "aria-label": t("upload.progress", { name: file.name }) });
      const status = h("p", { class: "upload-status", id: `${id}-status` }, t("upload.queued"));
      const preview = h("div", { class: "upload-preview" }, icon("image"));
      const row = h("li", { class: "upload-row", id, "data-state": "queued" },
        preview,
        h("div", { class: "upload-info" },
          h("p", { class: "upload-name" }, h("span", { class: "truncate" }, file.name), h("span", { class: "muted small" }, formatBytes(file.size))),
          bar, status));
      list.appendChild(row);
      const job: Job = { file, row, bar, status, preview, state: "queued" };
      void check(job);
    }
    footer.hidden = list.children.length === 0;
  }

  async function check(job: Job) {
    const problem = await checkUpload(job.file, config.maxUploadBytes);
    if (problem) return finish(job, "failed", problem);
    queue.push(job);
    pump();
  }

  function pump() {
    while (active < PARALLEL && queue.length) {
      const job = queue.shift()!;
      active++;
      void send(job).finally(() => {
        active--;
        pump();
      });
    }
  }

  async function send(job: Job) {
    setState(job, "uploading");
    job.status.textContent = t("upload.uploading", { pct: 0 });
    try {
      const image = await api.uploadImage(job.file, (fraction) => {
        const pct = Math.round(fraction * 100);
        job.bar.value = pct;
        job.status.textContent = t("upload.uploading", { pct });
      });
      const img = thumbnailImg(image, "56px");
      if (img) job.preview.replaceChildren(img);
      finish(job, "done", t("upload.done"));
    } catch (e) {
      finish(job, "failed", errorMessage(e));
    }
  }

  function finish(job: Job, state: "done" | "failed", message: string) {
    setState(job, state);
    job.bar.value = state === "done" ? 100 : job.bar.value;
    job.status.replaceChildren(icon(state === "done" ? "check" : "alert"), h("span", null, state === "done" ? message : `${t("upload.failed")}: ${message}`));
    if (state === "failed") job.status.setAttribute("role", "alert");
  }

  function setState(job: Job, state: Job["state"]) {
    job.state = state;
    job.row.dataset.state = state;
  }

  function clearFinished() {
    for (const row of [...list.querySelectorAll<HTMLElement>("[data-state=done], [data-state=failed]")]) row.remove();
    footer.hidden = list.children.length === 0;
    input.focus();
  }

  return {
    el,
    title: `${t("upload.title")} · ${t("app.name")}`,
  };
}
