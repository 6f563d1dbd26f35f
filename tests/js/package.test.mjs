// The npm package as a dApp developer gets it: `npm install <clone>/pkg` into an empty folder,
// `import` it from Node through the exports map, and type-check a TypeScript consumer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
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

// The lean package's entries (wasm-pack.toml): the core with its browser/node/bundler builds, the
// core with the wasm inlined (compat), the core with the caller's wasm (slim), and the full build
// the app uses (full, playground). Each is loaded from the installed package in a fresh Node.
const runIn = (code) => execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: dir, encoding: "utf8" }).trim();

test("every entry resolves and initialises under node and computes a real value", () => {
  const emission = "String(E.blockEmission(15_750_000_000_000_000n))";
  assert.equal(runIn(`import init, * as E from 'tao-engine'; await init(); console.log(${emission});`), "250000000");
  assert.equal(runIn(`import init, * as E from 'tao-engine/compat'; await init(); console.log(${emission});`), "250000000");
  assert.equal(runIn(`import * as E from 'tao-engine/compat'; E.initSync(); console.log(${emission});`), "250000000");
  assert.equal(runIn(
    "import { readFileSync } from 'node:fs'; import { createRequire } from 'node:module';" +
    "import init, * as E from 'tao-engine/slim';" +
    "const file = createRequire(import.meta.url).resolve('tao-engine/wasm');" +
    `await init({ module_or_path: readFileSync(file) }); console.log(${emission});`), "250000000");
  for (const entry of ["tao-engine/full", "tao-engine/playground"]) {
    assert.equal(runIn(`import init, * as E from '${entry}'; await init(); console.log(${emission}, typeof E.decodeType, typeof E.inferModelNames);`),
      "250000000 function function", entry);
  }
  // The same quote from the core and from the full build.
  const quote = (entry) => runIn(`import init, * as E from '${entry}'; await init();
    const q = E.poolQuote({ pool: { taoReserve: 22_080_655_078_468n, alphaReserve: 2_315_643_876_555_309n }, order: "buy", amount: 100_000_000_000n });
    console.log(String(q.amountOut));`);
  assert.match(quote("tao-engine"), /^[1-9][0-9]*$/);
  assert.equal(quote("tao-engine"), quote("tao-engine/full"));
});

test("the slim entry refuses to start without the caller's wasm, with a code", () => {
  const out = runIn("import init from 'tao-engine/slim'; try { await init(); console.log('started'); } catch (e) { console.log(e.code, e.field); }");
  assert.equal(out, "INVALID_TYPE module_or_path");
});

test("the core entry is lean: its wasm is at most 250 KB gzipped and carries no chain decoder or playground", () => {
  const manifest = JSON.parse(readFileSync(path.join(root, "pkg/package.json"), "utf8"));
  const wasmFile = path.join(root, "pkg", manifest.exports["./wasm"]);
  const gz = gzipSync(readFileSync(wasmFile), { level: 9 }).length;
  assert.ok(gz <= 250_000, `core wasm is ${gz} bytes gzipped`);
  const keys = runIn("import * as E from 'tao-engine'; console.log(Object.keys(E).join(' '));").split(" ");
  for (const name of ["poolQuote", "runEpoch", "blockEmission", "runtimeRules", "buildInfo"]) assert.ok(keys.includes(name), name);
  for (const name of ["inferModelNames", "decodeType", "runVectorFile"]) assert.ok(!keys.includes(name), name);
});

test("no shipped entry exports the vector harness", () => {
  for (const entry of ["tao-engine", "tao-engine/compat", "tao-engine/slim", "tao-engine/full", "tao-engine/playground"]) {
    const keys = runIn(`import * as E from '${entry}'; console.log(Object.keys(E).join(' '));`).split(" ");
    assert.ok(keys.length > 10, entry);
    assert.ok(!keys.includes("runVectorFile"), `${entry} exports runVectorFile`);
  }
});

test("npm pack lists only what a user needs", () => {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: path.join(root, "pkg"), encoding: "utf8" }));
  const files = packed.files.map((f) => f.path);
  const allowed = /^(package\.json|README\.md|js\/rpc\.(js|d\.ts)|(core\/|)(web|node|bundler)\/(tao_engine(_bg)?\.(js|wasm|d\.ts)|index\.(js|d\.ts))|(web|node|bundler)\/snippets\/tao-engine-wasm-[0-9a-f]+\/inline\d+\.js|(core\/|)node\/package\.json|compat\/(index\.(js|d\.ts)|wasm\.js)|slim\/tao_engine\.(js|d\.ts))$/;
  for (const f of files) assert.match(f, allowed);
  for (const f of files) assert.ok(!/_bg\.wasm\.d\.ts$|build-stamp|harness|vectors/.test(f), f);
  for (const must of ["core/web/tao_engine_bg.wasm", "core/node/index.js", "web/tao_engine_bg.wasm", "compat/wasm.js", "slim/tao_engine.js"]) {
    assert.ok(files.includes(must), must);
  }
  for (const f of files.filter((f) => /\.js$/.test(f))) {
    assert.ok(!readFileSync(path.join(root, "pkg", f), "utf8").includes("runVectorFile"), `${f} mentions runVectorFile`);
  }
});
