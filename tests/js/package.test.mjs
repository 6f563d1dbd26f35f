// The npm package as a dApp developer gets it: `npm install <clone>/pkg` into an empty folder,
// `import` it from Node through the exports map, and type-check a TypeScript consumer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let dir;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tao-engine-consumer-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", path.join(root, "pkg")], { cwd: dir, stdio: "pipe" });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("node resolves the installed package through its exports map and gets a real engine value", () => {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e",
    "import init, * as t from 'tao-engine'; await init(); console.log(String(t.blockEmission(15_750_000_000_000_000n)));"],
    { cwd: dir, encoding: "utf8" });
  assert.equal(out.trim(), "250000000");
});

test("the exports map lists types first and sends node to the node build", () => {
  const manifest = JSON.parse(readFileSync(path.join(dir, "node_modules/tao-engine/package.json"), "utf8"));
  const keys = Object.keys(manifest.exports["."]);
  assert.equal(keys[0], "types");
  assert.ok(keys.indexOf("node") < keys.indexOf("import"), "node must come before import");
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.type, "module");
});

// `esnext.disposable`: class exports (`Capture`) declare `[Symbol.dispose]` (wasm-bindgen emits it
// for every class); a consumer needs that lib (TypeScript 5.2+) or `skipLibCheck`.
test("a TypeScript consumer type-checks against the package's declarations", () => {
  copyFileSync(path.join(root, "tests/ts/consumer.ts"), path.join(dir, "consumer.ts"));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022", "dom", "esnext.disposable"], skipLibCheck: false },
    files: ["consumer.ts"],
  }));
  try {
    execFileSync(path.join(root, "node_modules/.bin/tsc"), ["-p", dir], { cwd: dir, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});
