// Translation and locale formatting. The language is the signed-in user's (saved with PATCH /api/me),
// else the one picked on the sign-in page (localStorage), else the browser's, else English.
import { en, type MessageKey } from "./locales/en";
import { es } from "./locales/es";
import type { Language } from "./types";

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, es };
const STORAGE_KEY = "nb.language";

let current: Language = initialLanguage();

function initialLanguage(): Language {
  const stored = safeStorageGet(STORAGE_KEY);
  if (stored === "en" || stored === "es") return stored;
  return navigator.language?.toLowerCase().startsWith("es") ? "es" : "en";
}

function safeStorageGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export const language = (): Language => current;

export function setLanguage(lang: Language): void {
  current = lang;
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

type Params = Record<string, string | number>;
type PluralBase<K> = K extends `${infer B}_one` ? B : never;
export type PluralKey = PluralBase<MessageKey>;

export function t(key: MessageKey, params?: Params): string {
  const text = DICTIONARIES[current][key] ?? en[key] ?? key;
  return params ? interpolate(text, params) : text;
}

// For keys with _one/_other forms; {n} is formatted as a number.
export function tn(key: PluralKey, n: number, params: Params = {}): string {
  const form = new Intl.PluralRules(current).select(n) === "one" ? "one" : "other";
  return t(`${key}_${form}` as MessageKey, { ...params, n: formatNumber(n) });
}

// Untyped lookup for keys built from API values (status names, ledger reasons); null when unknown.
export function tMaybe(key: string, params?: Params): string | null {
  if (!(key in en)) return null;
  return t(key as MessageKey, params);
}

function interpolate(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const formatNumber = (n: number): string => new Intl.NumberFormat(current).format(n);

export const coins = (n: number): string => tn("header.coins", n);

export function formatDate(iso: string, withTime = true): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(current, {
    dateStyle: "medium",
    ...(withTime ? { timeStyle: "short" } : {}),
  }).format(date);
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(current, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

// "Nov 25" this year, "Nov 25, 2025" before: for tight spaces like gallery cards.
export function formatShortDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return new Intl.DateTimeFormat(current, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) }).format(date);
}

// A price in minor units (what Stripe and COIN_PACKS count: 499 = $4.99, 500 = ¥500) for the person's
// language and the pack's currency: the currency's own number of decimals comes from Intl.
export function formatMoney(minorUnits: number, currency: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(current, { style: "currency", currency: currency.toUpperCase() });
  } catch {
    return `${formatNumber(minorUnits / 100)} ${currency.toUpperCase()}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}
