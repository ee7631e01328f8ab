// The layering holds because the compiler enforces it (CMakeLists.txt, nb_layer): each layer's
// include path holds its own folders and those of the layers it links, nothing else. This test
// compiles one-line files with each layer's real compile command (from compile_commands.json of the
// native and the wasm build) and checks that a wrong-way include does not even find its header,
// while the right-way includes of the same layer compile, so a broken command cannot pass as a refusal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exec } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./support/worker.js";

// build -> target -> { allowed: headers it must reach, forbidden: headers it must not }
const LAYERS = {
  native: {
    nb_util: { allowed: ["ports/status.h", "util/base64.h"], forbidden: ["models/user.h", "i18n/messages.h"] },
    nb_i18n: { allowed: ["i18n/messages.h"], forbidden: ["http/response.h", "util/ids.h"] },
    nb_imaging: { allowed: ["imaging/thumbnail_plan.h"], forbidden: ["codecs/thumbnail.h", "util/base64.h"] },
    nb_codecs: { allowed: ["codecs/thumbnail.h", "imaging/image_probe.h"], forbidden: ["util/base64.h", "app/app.h"] },
    nb_domain: {
      allowed: ["generation/jobs.h", "i18n/messages.h", "repositories/user_repository.h", "util/ids.h"],
      // src/generation -> src/app, the domain -> HTTP, and anything of bindings/ but the ports.
      forbidden: ["app/app.h", "app/core/scope.h", "http/request.h", "native/sqlite_database.h", "wasm/host_call.h"],
    },
    nb_http: { allowed: ["http/api_error.h", "i18n/messages.h"], forbidden: ["app/app.h", "models/user.h"] },
    nb_app: { allowed: ["app/app.h", "http/router.h"], forbidden: ["native/sqlite_database.h", "wasm/host_call.h"] },
    nb_native_adapters: {
      allowed: ["ports/ports.h", "native/sqlite_database.h", "codecs/thumbnail.h"],
      forbidden: ["util/base64.h", "app/app.h", "models/user.h", "http/request.h"],
    },
  },
  wasm: {
    nb_wasm_adapters: {
      allowed: ["ports/ports.h", "wasm/host_call.h"],
      forbidden: ["util/json_text.h", "app/app.h", "models/user.h", "native/sqlite_database.h"],
    },
    // The entry target is the one place that sees both sides.
    app: { allowed: ["app/app.h", "wasm/wasm_database.h", "wasm/wasm_logger.h"], forbidden: ["native/sqlite_database.h"] },
  },
};

// The compile command of one C++ source of `target`, cut before its -o, to append our own input.
function commandOf(build, target) {
  const file = path.join(ROOT, "build", build, "compile_commands.json");
  assert.ok(existsSync(file), `${file} is missing: build the ${build} target first`);
  const entries = JSON.parse(readFileSync(file, "utf8"));
  const entry = entries.find((e) => e.command.includes(` CMakeFiles/${target}.dir/`) && /\.cpp$/.test(e.file));
  assert.ok(entry, `no C++ source of ${target} in ${file}`);
  const cut = entry.command.indexOf(" -o ");
  assert.ok(cut > 0, `unexpected command for ${target}: ${entry.command}`);
  return { cwd: entry.directory, prefix: entry.command.slice(0, cut) };
}

async function compiles(command, dir, header) {
  const source = path.join(dir, `${header.replace(/\W/g, "_")}.cpp`);
  await writeFile(source, `#include "${header}"\n`);
  try {
    await promisify(exec)(`${command.prefix} -fsyntax-only ${source}`, { cwd: command.cwd, maxBuffer: 1 << 24 });
    return { ok: true };
  } catch (e) {
    return { ok: false, stderr: String(e.stderr) };
  }
}

for (const [build, targets] of Object.entries(LAYERS)) {
  for (const [target, { allowed, forbidden }] of Object.entries(targets)) {
    test(`${build} ${target}: reaches its own and lower layers, not the others`, async () => {
      const command = commandOf(build, target);
      const dir = await mkdtemp(path.join(tmpdir(), "nb-layering-"));
      try {
        for (const header of allowed) {
          const r = await compiles(command, dir, header);
          assert.ok(r.ok, `${target} must be able to include "${header}":\n${r.stderr}`);
        }
        for (const header of forbidden) {
          const r = await compiles(command, dir, header);
          assert.ok(!r.ok, `${target} can include "${header}": a wrong-way include that must not build`);
          assert.match(r.stderr, /file not found|No such file/, `${target} "${header}" failed for another reason`);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
}

// The rule the compiler cannot see from inside one target: only bindings/entry includes the domain.
test("bindings/: only the entry target includes src/ headers beyond the engine", () => {
  const offenders = [];
  const srcFolders = ["app", "auth", "generation", "http", "i18n", "models", "repositories", "services", "util"];
  const walk = (dir) => {
    for (const name of readdirSafe(dir)) {
      const p = path.join(dir, name);
      if (!/\.(h|cpp)$/.test(name)) {
        walk(p);
        continue;
      }
      if (p.includes(`${path.sep}entry${path.sep}`)) continue;
      for (const m of readFileSync(p, "utf8").matchAll(/#include "([a-z_0-9]+)\//g)) {
        if (srcFolders.includes(m[1])) offenders.push(`${path.relative(ROOT, p)}: ${m[0]}`);
      }
    }
  };
  walk(path.join(ROOT, "bindings"));
  assert.deepEqual(offenders, []);
});

function readdirSafe(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
