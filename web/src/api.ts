// The API client: one function per endpoint of the contract (API.md, shared with the tests). Errors become
// ApiError with the server's stable code and its already-localized message. A 401 from any call
// (the session expired or was revoked) goes to the handler set by onSessionExpired().
import { language, t } from "./i18n";
import type {
  AdminPurchase, AppConfig, AuditEntry, CoinPack, DailyRewardState, Image, Purchase, ImageStats, ImageStatus, ImageType, Language, Page, Role, Storage, Transaction, User,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

let sessionExpired: () => void = () => {};
export function onSessionExpired(handler: () => void): void {
  sessionExpired = handler;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  // The boot-time /api/me probe: 401 there only means "signed out", not "expired".
  signedOutIsNormal?: boolean;
}

// GETs started early (at boot, before /api/me answers) for the screen about to open; request() takes
// a warmed answer instead of asking again, and asks again if the warm one failed (e.g. signed out).
const warmed = new Map<string, Promise<unknown>>();
export function warm(path: string): void {
  if (warmed.has(path)) return;
  const pending = request("GET", path, { signedOutIsNormal: true });
  pending.catch(() => {});
  warmed.set(path, pending);
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const early = method === "GET" ? warmed.get(path) : undefined;
  if (early) {
    warmed.delete(path);
    try {
      return (await early) as T;
    } catch {
      // Fall through: ask again, with the normal 401 handling.
    }
  }
  const headers: Record<string, string> = { "accept-language": language(), ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "NETWORK", t("app.offline"));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = parseJson(text);
  if (response.ok) return json as T;
  const error = toApiError(response.status, json, response.headers.get("retry-after"));
  if (error.status === 401 && !options.signedOutIsNormal) sessionExpired();
  throw error;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toApiError(status: number, json: unknown, retryAfter: string | null): ApiError {
  const envelope = (json as { error?: { code?: string; message?: string; fields?: Record<string, string> } })?.error;
  return new ApiError(
    status,
    envelope?.code ?? `HTTP_${status}`,
    envelope?.message ?? t("app.unexpected"),
    envelope?.fields ?? {},
    retryAfter ? Number(retryAfter) : null,
  );
}

const query = (params: Record<string, string | number | null | undefined>): string => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : "";
};

const id = (value: string): string => encodeURIComponent(value);

// ------------------------------------------------------------------------------------ public, auth
export const getConfig = () => request<AppConfig>("GET", "/api/config");
export const getMe = (signedOutIsNormal = false) =>
  request<{ user: User }>("GET", "/api/me", { signedOutIsNormal }).then((r) => r.user);
// /api/me with the storage quota's state (used and quota bytes, originals + thumbnails).
export const getStorage = () => request<{ user: User; storage: Storage }>("GET", "/api/me").then((r) => r.storage);
export const patchMe = (patch: { language?: Language; firstName?: string; lastName?: string }) =>
  request<{ user: User }>("PATCH", "/api/me", { body: patch }).then((r) => r.user);
export const devLogin = (email: string, firstName?: string) =>
  request<{ user: User }>("POST", "/api/auth/dev-login", {
    body: firstName ? { email, firstName } : { email },
    signedOutIsNormal: true,
  }).then((r) => r.user);
export const logout = () => request<void>("POST", "/api/auth/logout", { signedOutIsNormal: true });
export const googleLoginUrl = (redirect: string) => `/api/auth/google/login${query({ redirect })}`;

export const transactions = (cursor: string | null, limit = 50) =>
  request<Page<Transaction>>("GET", `/api/me/transactions${query({ limit, cursor })}`);

// ------------------------------------------------------------------------------------------ images
export interface ImageFilter {
  type?: ImageType | "";
  status?: ImageStatus | "";
  favorite?: boolean;
  q?: string;
}
export const listImagesPath = (filter: ImageFilter, cursor: string | null, limit = 40) =>
  `/api/images${query({ type: filter.type, status: filter.status, favorite: filter.favorite ? "true" : "", q: filter.q?.trim(), limit, cursor })}`;
export const listImages = (filter: ImageFilter, cursor: string | null, limit = 40) =>
  request<Page<Image>>("GET", listImagesPath(filter, cursor, limit));
export const IMAGE_STATS_PATH = "/api/images/stats";
export const imageStats = () => request<ImageStats>("GET", IMAGE_STATS_PATH);
export const getImage = (imageId: string) =>
  request<{ image: Image }>("GET", `/api/images/${id(imageId)}`).then((r) => r.image);
export const patchImage = (imageId: string, patch: { title?: string; description?: string; favorite?: boolean }) =>
  request<{ image: Image }>("PATCH", `/api/images/${id(imageId)}`, { body: patch }).then((r) => r.image);
export const deleteImage = (imageId: string) => request<void>("DELETE", `/api/images/${id(imageId)}`);
export const shareImage = (imageId: string) =>
  request<{ shareUrl: string }>("POST", `/api/images/${id(imageId)}/share`).then((r) => r.shareUrl);
export const unshareImage = (imageId: string) => request<void>("DELETE", `/api/images/${id(imageId)}/share`);
export const bulkDelete = (ids: string[]) =>
  request<{ deleted: string[]; notFound: string[] }>("POST", "/api/images/bulk-delete", { body: { ids } });

export interface GenerateRequest {
  prompt: string;
  aspectRatio?: string;
  referenceImageIds?: string[];
  model?: string;
  imageSize?: string;
  grounding?: boolean;
}
export const generate = (body: GenerateRequest, idempotencyKey: string) =>
  request<{ image: Image }>("POST", "/api/images/generate", {
    body,
    headers: { "idempotency-key": idempotencyKey },
  }).then((r) => r.image);

export const downloadUrl = (image: Image): string | null => (image.url ? `${image.url}${image.url.includes("?") ? "&" : "?"}download=1` : null);

// Multipart upload through XMLHttpRequest, the only browser API that reports upload progress.
export function uploadImage(file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<Image> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/images");
    xhr.setRequestHeader("accept-language", language());
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const json = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve((json as { image: Image }).image);
        return;
      }
      const error = toApiError(xhr.status, json, xhr.getResponseHeader("retry-after"));
      if (xhr.status === 401) sessionExpired();
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", t("app.offline")));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", t("app.cancel")));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, file.name);
    // The file's name (without extension) is the best title the person has given it so far.
    const title = file.name.replace(/\.[A-Za-z0-9]{1,5}$/, "").trim().slice(0, 200);
    if (title) form.append("title", title);
    xhr.send(form);
  });
}

// ------------------------------------------------------------------------------------------- admin
export const adminUsers = (search: string, cursor: string | null, limit = 25) =>
  request<Page<User>>("GET", `/api/admin/users${query({ query: search, limit, cursor })}`);
export const adminAdjustCoins = (userId: string, amount: number, reason: string, idempotencyKey: string) =>
  request<{ user: User }>("POST", `/api/admin/users/${id(userId)}/coins`, {
    body: { amount, reason },
    headers: { "idempotency-key": idempotencyKey },
  }).then((r) => r.user);
export const adminAudit = (cursor: string | null, limit = 25) =>
  request<Page<AuditEntry>>("GET", `/api/admin/audit${query({ limit, cursor })}`);
export const adminSetRoles = (userId: string, roles: Role[]) =>
  request<{ user: User }>("PUT", `/api/admin/users/${id(userId)}/roles`, { body: { roles } }).then((r) => r.user);

// ----------------------------------------------------------------------------------------- billing
export const coinPacks = () => request<{ packs: CoinPack[] }>("GET", "/api/billing/packs").then((r) => r.packs);
// The Stripe Checkout page to send the browser to.
export const checkout = (packId: string) =>
  request<{ url: string }>("POST", "/api/billing/checkout", { body: { packId } }).then((r) => r.url);
export const purchases = (cursor: string | null, limit = 20) =>
  request<Page<Purchase>>("GET", `/api/me/purchases${query({ limit, cursor })}`);
export const dailyReward = () => request<DailyRewardState>("GET", "/api/me/daily-reward");
export const claimDailyReward = () =>
  request<{ user: User; granted: number }>("POST", "/api/me/daily-reward");
export const adminPurchases = (userId: string, cursor: string | null, limit = 20) =>
  request<Page<AdminPurchase>>("GET", `/api/admin/users/${id(userId)}/purchases${query({ limit, cursor })}`);
