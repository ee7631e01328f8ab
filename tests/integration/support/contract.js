// The API contract (api/openapi.json) as a check on every response the integration tests receive: the
// status must be one the document lists for that operation, the content type one it lists for that
// status, a JSON body must match its schema (Ajv, JSON Schema 2020-12, which OpenAPI 3.1 uses), and
// required headers must be there. A response that is not in the document throws ContractError, so the
// test that received it fails with the method, the path and the validator's errors.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export const DOCUMENT_PATH = path.resolve(import.meta.dirname, "../../../api/openapi.json");
export const documentText = readFileSync(DOCUMENT_PATH, "utf8");
export const document = JSON.parse(documentText);

// The document is registered whole under this id, and every schema is compiled by its JSON pointer
// into it, so the document's own "#/components/..." references resolve as they are written.
const DOCUMENT_ID = "urn:nano-banana-edge:openapi";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export class ContractError extends Error {
  name = "ContractError";
}

function makeAjv() {
  // strict: a keyword Ajv does not know (a typo, an OpenAPI 3.0 leftover like `nullable`) is an error.
  // strictRequired is off: an allOf overlay may require what its base schema defines (the error codes).
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // The document's own top-level fields are not schema keywords: declared, so strict mode lets the
  // root compile (Ajv compiles it on the way to a fragment); nothing below them is compiled as a schema.
  for (const field of Object.keys(document)) ajv.addKeyword({ keyword: field, schemaType: ["string", "object", "array"] });
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  return ajv;
}
const ajv = makeAjv();

const escapeSegment = (s) => encodeURIComponent(String(s).replaceAll("~", "~0").replaceAll("/", "~1"));
const pointerOf = (...segments) => "#/" + segments.map(escapeSegment).join("/");

function at(pointer) {
  let node = document;
  for (const part of pointer.slice(2).split("/")) {
    node = node?.[decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

// A Response, Header or Parameter object, following a local $ref: its pointer and its value.
function resolve(pointer) {
  const value = at(pointer);
  if (value && typeof value.$ref === "string") return resolve(value.$ref);
  return { pointer, value };
}

const validators = new Map();
function validatorAt(pointer) {
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.getSchema(DOCUMENT_ID + pointer);
    if (!validate) throw new ContractError(`the document has no schema at ${pointer}`);
    validators.set(pointer, validate);
  }
  return validate;
}

// Compiles every schema an operation's responses use (bodies and headers): a broken schema or a
// dangling $ref fails here rather than in the first test that meets it. Returns how many.
export function compileAll() {
  let count = 0;
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      for (const status of Object.keys(item[method].responses)) {
        const response = resolve(pointerOf("paths", template, method, "responses", status));
        for (const name of Object.keys(response.value.headers ?? {})) {
          const header = resolve(`${response.pointer}/headers/${escapeSegment(name)}`);
          if (header.value.schema) validatorAt(`${header.pointer}/schema`), count++;
        }
        for (const [type, media] of Object.entries(response.value.content ?? {})) {
          if (media.schema) validatorAt(`${response.pointer}/content/${escapeSegment(type)}/schema`), count++;
        }
      }
    }
  }
  for (const name of Object.keys(document.components.schemas)) validatorAt(pointerOf("components", "schemas", name)), count++;
  return count;
}

// The router's rule: a literal segment wins over a {parameter} ("/api/images/stats" before
// "/api/images/{id}"), and a path without the method falls through to the next one that has it.
const templates = Object.keys(document.paths)
  .map((template) => {
    const parts = template.split("/");
    const pattern = new RegExp("^" + parts.map((p) => (/^\{.+\}$/.test(p) ? "[^/]+" : p.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("/") + "$");
    return { template, pattern, literals: parts.filter((p) => !p.startsWith("{")).length };
  })
  .sort((a, b) => b.literals - a.literals);

// What the document says a request should get: an operation, or one of the two answers for requests
// outside it (an unlisted path: RouteNotFound; a listed path without the method: MethodNotAllowed).
export function operationFor(method, pathname) {
  const candidates = templates.filter((t) => t.pattern.test(pathname));
  const m = method.toLowerCase();
  for (const { template } of candidates) {
    const item = document.paths[template];
    const found = item[m] ? m : m === "head" && item.get ? "get" : null;
    if (found) return { template, method: found, responses: pointerOf("paths", template, found, "responses") };
  }
  if (candidates.length) return { template: candidates[0].template, only: { 405: pointerOf("components", "responses", "MethodNotAllowed") } };
  return { template: null, only: { 404: pointerOf("components", "responses", "RouteNotFound") } };
}

const mediaType = (contentType) => (contentType ?? "").split(";")[0].trim().toLowerCase();
const isJson = (type) => type === "application/json" || type.endsWith("+json");

function matchMedia(content, type) {
  if (content[type]) return type;
  const [major] = type.split("/");
  if (content[`${major}/*`]) return `${major}/*`;
  if (content["*/*"]) return "*/*";
  return null;
}

function describeErrors(errors) {
  return (errors ?? []).map((e) => `  ${e.instancePath || "(root)"} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`).join("\n");
}

// Checks `response` (to `method` `url`) against the document. Resolves to a Response the caller can
// read as usual (the original one, or a copy when the body had to be read to check it); rejects
// with a ContractError naming what is wrong. Paths outside /api/ (the web app's static files) are
// not the API's and pass unchecked.
export async function checkResponse(method, url, response) {
  method = method.toUpperCase();
  const pathname = new URL(url).pathname;
  if (!pathname.startsWith("/api/")) return response;
  const status = response.status;
  const where = operationFor(method, pathname);
  const label = `${method} ${pathname}${where.template && where.template !== pathname ? ` (${where.template})` : ""} answered ${status}`;
  const fail = (problem, body) =>
    new ContractError(`API contract (api/openapi.json): ${label}: ${problem}${body !== undefined ? `\n  body: ${String(body).slice(0, 600)}` : ""}`);

  let responsePointer;
  if (where.only) {
    responsePointer = where.only[status];
    if (!responsePointer) throw fail(`the document does not list this path${where.template ? " with this method" : ""}; expected ${Object.keys(where.only)[0]}`);
  } else {
    const responses = at(where.responses);
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => responses[k]);
    if (!key) throw fail(`status ${status} is not among the documented ones (${Object.keys(responses).join(", ")})`);
    responsePointer = `${where.responses}/${escapeSegment(key)}`;
  }
  const expected = resolve(responsePointer);

  for (const name of Object.keys(expected.value.headers ?? {})) {
    const header = resolve(`${expected.pointer}/headers/${escapeSegment(name)}`);
    const values = name.toLowerCase() === "set-cookie" ? response.headers.getSetCookie() : [response.headers.get(name)].filter((v) => v !== null);
    if (!values.length) {
      if (header.value.required) throw fail(`required header ${name} is missing`);
      continue;
    }
    if (!header.value.schema) continue;
    const validate = validatorAt(`${header.pointer}/schema`);
    // Set-Cookie may come several times: the documented one must be among them.
    if (!values.some((v) => validate(v))) throw fail(`header ${name}: ${JSON.stringify(values)} does not match its schema\n${describeErrors(validate.errors)}`);
  }

  const content = expected.value.content;
  const type = mediaType(response.headers.get("content-type"));
  const bodyless = method === "HEAD";
  if (!content) {
    if (bodyless || status === 204 || status === 304) return response;
    const text = await response.text();
    if (text !== "") throw fail("the document says this response has no body", text);
    return rebuild(response, null);
  }
  const matched = matchMedia(content, type);
  if (!matched) throw fail(`content type ${JSON.stringify(response.headers.get("content-type"))} is not documented (${Object.keys(content).join(", ")})`);
  if (bodyless || !isJson(matched) || !content[matched].schema) return response;

  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw fail(`the body is not JSON (${e.message})`, text);
  }
  const validate = validatorAt(`${expected.pointer}/content/${escapeSegment(matched)}/schema`);
  if (!validate(body)) throw fail(`the body does not match the schema\n${describeErrors(validate.errors)}`, text);
  return rebuild(response, text);
}

function rebuild(response, text) {
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

// fetch, checked: for the few tests that call the Worker without a Client (e.g. a streamed body).
export async function checkedFetch(url, init = {}) {
  return checkResponse(init.method ?? "GET", String(url), await fetch(url, init));
}
