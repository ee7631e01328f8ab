// THIRD_PARTY_NOTICES.md names every third-party library the shipped artefacts contain. The list is
// derived from the build itself, not from a hand-kept list: the wasm linker's maps
// (build/wasm/{app,codec}.map, -Wl,--Map in CMakeLists.txt) name every object file and archive member
// linked into each module, and the compiler's depfile of each of those objects names every header it
// compiled (header-only libraries: stb, nlohmann/json). For web/dist, Vite builds the app once more
// with source maps into a scratch directory and the maps name every module in the bundle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./support/worker.js";

const WASM_BUILD = path.join(ROOT, "build/wasm");
const NOTICES = path.join(ROOT, "THIRD_PARTY_NOTICES.md");

// The "## " headings of the notices, outside fenced licence texts, lower-cased.
function noticeHeadings(text) {
  const headings = [];
  let fenced = false;
  for (const line of text.split("\n")) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && line.startsWith("## ")) headings.push(line.slice(3).toLowerCase());
  }
  return headings;
}

// The component a file belongs to, or null for the project's own code. Anything not recognised is
// its own component (named by its path), so a new kind of input fails the test until it is named.
function componentOf(file) {
  const rel = path.relative(ROOT, file);
  if (!rel.startsWith("..")) {
    if (/^(src|bindings|cmake|tests)\//.test(rel)) return null;
    let m;
    if ((m = rel.match(/^third_party\/src\/([^/]+?)-\d[^/]*\//))) return m[1];
    if ((m = rel.match(/^build\/wasm\/header-only\/([^/]+)\//))) return m[1];
    // Generated from cmake/codecs/*.in (libjpeg-turbo's configuration headers): counted with it.
    if (/^build\/wasm\/codecs\/jpeg\//.test(rel)) return "libjpeg-turbo";
    if (/^build\/wasm\/.*\.(o|obj)$/.test(rel)) return null;
    // Sources generated from the repository's own files (cmake/embed_openapi.cmake: api/openapi.json).
    if (/^build\/wasm\/generated\//.test(rel)) return null;
    // Our own folders seen through the layers' include roots (CMakeLists.txt, nb_layer).
    if (/^build\/wasm\/layers\/[^/]+\/(?!nlohmann\/|stb\/)/.test(rel)) return null;
    return file;
  }
  if (file.startsWith("/usr/include/wasm32-wasi/c++/") || file.startsWith("/usr/lib/llvm-")) return "llvm";
  if (/\/lib(c\+\+|c\+\+abi|clang_rt\.[^/]*)\.a$/.test(file)) return "llvm";
  if (file.startsWith("/usr/include/wasm32-wasi/") || file.startsWith("/usr/lib/wasm32-wasi/")) return "wasi-libc";
  const m = file.match(/^\/usr(?:\/local)?\/include\/([^/]+)\//);
  return m ? m[1] : file;
}

// Every input the link map names: "archive.a(member)" or "file.o", as [archive or null, object].
function linkedInputs(mapText) {
  const inputs = new Set();
  for (const line of mapText.split("\n")) {
    const m = line.match(/\s(\S+?\.(?:o|obj)|\S+?\.a\([^)]+\)):\(/);
    if (m) inputs.add(m[1]);
  }
  return [...inputs].map((s) => {
    const a = s.match(/^(.*\.a)\((.*)\)$/);
    return a ? [a[1], a[2]] : [null, s];
  });
}

// The sources and headers an object of this build was compiled from, read from its depfile(s). A
// member of one of our archives (libnb_jpeg.a(jdapimin.c.obj)) is found under its target's directory.
function compiledFiles(archive, object) {
  const abs = (p) => (path.isAbsolute(p) ? p : path.join(WASM_BUILD, p));
  let depfiles = [];
  if (archive === null) {
    depfiles = [abs(object) + ".d"];
  } else {
    const target = path.basename(archive).replace(/^lib/, "").replace(/\.a$/, "");
    const dir = path.join(WASM_BUILD, "CMakeFiles", `${target}.dir`);
    const walk = (d) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.name === `${object}.d`) depfiles.push(p);
      }
    };
    walk(dir);
  }
  assert.ok(depfiles.length > 0, `no depfile for ${archive ?? ""}(${object})`);
  const files = [];
  for (const depfile of depfiles) {
    const text = readFileSync(depfile, "utf8").replace(/\\\n/g, " ");
    const deps = text.slice(text.indexOf(": ") + 2).split(/\s+/).filter(Boolean);
    files.push(...deps.map((d) => path.normalize(path.isAbsolute(d) ? d : path.join(WASM_BUILD, d))));
  }
  return files;
}

// component -> one example of a file that brought it in (for the failure message)
function wasmComponents(module) {
  const mapFile = path.join(WASM_BUILD, `${module}.map`);
  const wasmFile = path.join(WASM_BUILD, `${module}.wasm`);
  assert.ok(existsSync(mapFile), `${mapFile} is missing: run scripts/build-wasm.sh`);
  // One link writes both, the map first (seconds apart on a busy machine); an older map is stale.
  const lag = statSync(wasmFile).mtimeMs - statSync(mapFile).mtimeMs;
  assert.ok(lag < 120_000, `${mapFile} is ${lag} ms older than ${wasmFile}: stale`);
  const components = new Map();
  const add = (component, file) => component && !components.has(component) && components.set(component, file);
  const inputs = linkedInputs(readFileSync(mapFile, "utf8"));
  assert.ok(inputs.length > 10, `${mapFile} names only ${inputs.length} inputs`);
  for (const [archive, object] of inputs) {
    const outside = archive !== null ? !path.resolve(WASM_BUILD, archive).startsWith(WASM_BUILD) : path.isAbsolute(object);
    if (outside) {
      // A prebuilt archive or object of the toolchain (libc.a, libc++.a, crt1-reactor.o, ...).
      add(componentOf(archive ?? object), `${archive ?? ""}(${object})`);
      continue;
    }
    for (const file of compiledFiles(archive, object)) add(componentOf(file), file);
  }
  return components;
}

function assertNamed(components, where) {
  const headings = noticeHeadings(readFileSync(NOTICES, "utf8"));
  const missing = [...components].filter(([c]) => !headings.some((h) => h.includes(c.toLowerCase())));
  assert.deepEqual(
    missing.map(([c, file]) => `${c} (from ${file})`),
    [],
    `${where} contains code that THIRD_PARTY_NOTICES.md has no "## " section for (scripts/third-party-notices.sh)`,
  );
}

test("app.wasm: every linked third-party library has a notice", () => {
  const components = wasmComponents("app");
  // What app.wasm is known to contain; if one of these vanished the derivation itself broke.
  for (const c of ["nlohmann", "stb", "wasi-libc", "llvm"]) assert.ok(components.has(c), `app.wasm: ${c} not found`);
  assert.ok(!components.has("libjpeg-turbo"), "app.wasm links libjpeg-turbo, which belongs in codec.wasm only");
  assertNamed(components, "build/wasm/app.wasm");
});

test("codec.wasm: every linked third-party library has a notice", () => {
  const components = wasmComponents("codec");
  for (const c of ["libjpeg-turbo", "libspng", "zlib", "libwebp", "stb", "wasi-libc", "llvm"]) {
    assert.ok(components.has(c), `codec.wasm: ${c} not found`);
  }
  assertNamed(components, "build/wasm/codec.wasm");
});

test("web/dist: every bundled npm package has a notice", async () => {
  // The same config as scripts/build-web.sh, with source maps, into a scratch directory.
  const out = await mkdtemp(path.join(tmpdir(), "nb-notices-web-"));
  try {
    await promisify(execFile)(
      path.join(ROOT, "node_modules/.bin/vite"),
      ["build", "--sourcemap", "--outDir", out, "--emptyOutDir", "--logLevel", "error"],
      { cwd: path.join(ROOT, "web") },
    );
    const maps = (await readdir(path.join(out, "assets"))).filter((f) => f.endsWith(".map"));
    assert.ok(maps.length > 0, "vite wrote no source map");
    const components = new Map();
    let ours = 0;
    for (const name of maps) {
      const mapFile = path.join(out, "assets", name);
      const { sources } = JSON.parse(await readFile(mapFile, "utf8"));
      for (const source of sources) {
        const file = path.resolve(path.dirname(mapFile), source);
        const pkg = file.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
        if (pkg) components.set(pkg[1], file);
        else if (file.startsWith(path.join(ROOT, "web/src") + path.sep)) ours++;
        else components.set(source.replace(/^\0/, "").split("/")[0], source); // a bundler's virtual module
      }
    }
    assert.ok(ours > 10, `the bundle's source maps name only ${ours} files of web/src`);
    assertNamed(components, "web/dist");
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
