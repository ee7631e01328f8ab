// Every message key the code uses exists in both languages. An unknown key is not an error at run
// time: the server's Message() and the web app's t() fall back to the key itself, and tMaybe() to the
// raw API value, so a typo or a new enum value would ship as "error.bad_limt" or "admin_take". The keys
// are extracted from the sources (literals, and the dynamic patterns listed below with the values the
// server can send), then looked up in src/i18n/messages.cpp and web/src/locales/{en,es}.ts. Static files
// only, no Worker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./support/worker.js";

const read = (rel) => readFileSync(path.join(ROOT, rel), "utf8");
function walk(dir, exts) {
  const out = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(rel, exts));
    else if (exts.some((e) => entry.name.endsWith(e))) out.push(rel);
  }
  return out;
}
const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const cString = (lits) => [...lits.matchAll(new RegExp(STRING, "g"))].map((m) => JSON.parse(m[0])).join("");

// ------------------------------------------------------------------------------------------ server

// {"key", {"English", "Spanish"}} entries, each text possibly split over adjacent literals.
function serverTable() {
  const source = read("src/i18n/messages.cpp");
  const entry = new RegExp(String.raw`\{\s*"([a-z]+\.[A-Za-z0-9_.]+)",\s*\{\s*((?:${STRING}\s*)+),\s*((?:${STRING}\s*)+)\}\s*\}`, "g");
  const table = new Map();
  for (const m of source.matchAll(entry)) {
    assert.ok(!table.has(m[1]), `${m[1]} twice in messages.cpp`);
    table.set(m[1], { en: cString(m[2]), es: cString(m[3]) });
  }
  return table;
}

// ErrorCode enumerators in declaration order, as their wire names (kBadRequest -> BAD_REQUEST).
function errorCodes() {
  const body = read("src/http/api_error.h").match(/enum class ErrorCode \{([^}]*)\}/)[1];
  return [...body.matchAll(/\bk([A-Z][A-Za-z]*)/g)].map((m) => m[1].replace(/(?<!^)([A-Z])/g, "_$1").toUpperCase());
}

// The only key namespaces the server has; a literal in one of them anywhere in src/ is a key.
const SERVER_KEY = /"((?:error|field|generation)\.[a-z0-9_]+)"/g;
function serverKeysUsed() {
  const used = new Map();  // key -> first file using it
  for (const file of walk("src", [".cpp", ".h"])) {
    if (file.endsWith(path.join("i18n", "messages.cpp"))) continue;
    for (const m of read(file).matchAll(SERVER_KEY)) if (!used.has(m[1])) used.set(m[1], file);
  }
  return used;
}

test("every message key the server uses has English and Spanish text", () => {
  const table = serverTable();
  const used = serverKeysUsed();
  assert.ok(table.size >= 80 && used.size >= 60, `parsed ${table.size} table entries and ${used.size} used keys: the extraction broke`);
  const missing = [...used].filter(([key]) => !table.has(key)).map(([key, file]) => `${key} (${file})`);
  assert.deepEqual(missing, [], "keys used in src/ but missing from src/i18n/messages.cpp");
  for (const [key, { en, es }] of table) {
    assert.ok(en.trim() && es.trim() && en !== es, `${key}: ${JSON.stringify({ en, es })}`);
  }
});

test("every error code has a message in both languages (all 15 of them)", () => {
  const codes = errorCodes();
  // Explicit: adding a code must come with its messages, and with this number.
  assert.equal(codes.length, 15, `ErrorCode has ${codes.length} values: ${codes.join(", ")}`);
  const cases = read("src/http/api_error.cpp");
  const table = serverTable();
  for (const code of codes) {
    assert.match(cases, new RegExp(`return "${code}";`), `CodeString does not name ${code}`);
    assert.ok(table.has(`code.${code}`), `code.${code} missing from messages.cpp`);
  }
});

// ------------------------------------------------------------------------------------------ web app

function webDictionary(file) {
  const source = read(file);
  const keys = [...source.matchAll(/^\s*"([^"]+)":\s*(?:"|`)/gm)].map((m) => m[1]);
  assert.equal(new Set(keys).size, keys.length, `${file} repeats a key`);
  return new Set(keys);
}

const unionValues = (name) => {
  const m = read("web/src/types.ts").match(new RegExp(`export type ${name} = ([^;]+);`));
  assert.ok(m, `type ${name} not found in web/src/types.ts`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((v) => v[1]);
};
// What the server writes into the ledger (the reasons the coins page names).
const ledgerReasons = () => [...read("src/models/ledger_entry.h").matchAll(/k[A-Za-z]+\[\] = "([a-z_]+)"/g)].map((m) => m[1]);

// Keys built at run time, with every value the server can send. A new pattern must be added here.
const DYNAMIC = {
  "lang.${}": () => unionValues("Language"),
  "status.${}": () => unionValues("ImageStatus"),
  "type.${}": () => unionValues("ImageType"),
  "coins.reason.${}": ledgerReasons,
  "purchase.status.${}": () => unionValues("PurchaseStatus"),
  "${}_${}": () => [],  // tn(): key_one / key_other, expanded from the tn() calls themselves
};

function webKeysUsed() {
  const used = new Map();
  const add = (key, file) => used.has(key) || used.set(key, file);
  for (const file of walk("web/src", [".ts"])) {
    if (file.includes(`${path.sep}locales${path.sep}`)) continue;
    const source = read(file);
    for (const m of source.matchAll(/\b(t|tMaybe)\(\s*"([^"]+)"/g)) add(m[2], file);
    for (const m of source.matchAll(/\btn\(\s*"([^"]+)"/g)) for (const form of ["one", "other"]) add(`${m[1]}_${form}`, file);
    // Templates: in t()/tMaybe() calls, or cast to MessageKey.
    const templates = [...source.matchAll(/\b(?:t|tMaybe)\(\s*`([^`]*)`/g), ...source.matchAll(/`([^`]*)`\s+as MessageKey/g)];
    for (const m of templates) {
      const pattern = m[1].replace(/\$\{[^}]*\}/g, "${}");
      assert.ok(pattern in DYNAMIC, `${file}: a message key built as \`${m[1]}\`: list its values in DYNAMIC`);
      for (const value of DYNAMIC[pattern]()) add(pattern.replace("${}", value), file);
    }
  }
  return used;
}

test("every message key the web app uses is in en.ts and es.ts, including keys built from API values", () => {
  const en = webDictionary("web/src/locales/en.ts");
  const es = webDictionary("web/src/locales/es.ts");
  const used = webKeysUsed();
  assert.ok(en.size >= 150 && used.size >= 100, `parsed ${en.size} keys and ${used.size} used keys: the extraction broke`);
  assert.ok(ledgerReasons().length >= 5, "no ledger reasons found in src/models/ledger_entry.h");
  const missing = (dict) => [...used].filter(([key]) => !dict.has(key)).map(([key, file]) => `${key} (${file})`);
  assert.deepEqual(missing(en), [], "used but not in web/src/locales/en.ts");
  assert.deepEqual(missing(es), [], "used but not in web/src/locales/es.ts");
  assert.deepEqual([...en].filter((k) => !es.has(k)), [], "in en.ts, not in es.ts");
  assert.deepEqual([...es].filter((k) => !en.has(k)), [], "in es.ts, not in en.ts");
});
