// yumaVersions (the historical Yuma versions of yuma-simulation) in the built package (pkg/)
// against tests/golden/yuma-versions.json: yuma-simulation's own outputs for real scenarios.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const { yumaVersions } = await import(path.join(here, "../../pkg/node/index.js"));
const golden = JSON.parse(readFileSync(path.join(here, "../golden/yuma-versions.json"), "utf8"));

function close(actual, expected, where) {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: not an array`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => close(actual[i], e, `${where}[${i}]`));
    return;
  }
  assert.equal(typeof actual, "number", where);
  assert.ok(Math.abs(actual - expected) <= 1e-6, `${where}: ${actual} vs ${expected}`);
}

test("the golden file holds runs of all six versions", () => {
  const versions = new Set(golden.runs.map((r) => r.scenario.version));
  assert.deepEqual([...versions].sort(), ["yuma1", "yuma2", "yuma2b", "yuma2c", "yuma3", "yuma3-liquid"]);
});

for (const run of golden.runs) {
  test(`${run.name}: every epoch's dividends, incentives and bonds within 1e-6`, () => {
    const out = yumaVersions(run.scenario);
    assert.equal(out.version, run.scenario.version);
    assert.match(out.definitions, /yuma-simulation/);
    assert.equal(out.epochs.length, run.expected.length);
    run.expected.forEach((e, i) => {
      close(out.epochs[i].dividends, e.dividends, `epochs[${i}].dividends`);
      close(out.epochs[i].incentives, e.incentives, `epochs[${i}].incentives`);
      close(out.epochs[i].bonds, e.bonds, `epochs[${i}].bonds`);
    });
  });
}

test("a JSON string and an object give the same result", () => {
  const run = golden.runs[0];
  assert.deepEqual(yumaVersions(JSON.stringify(run.scenario)), yumaVersions(run.scenario));
});

test("the version decides the result", () => {
  const [a, b] = golden.runs;
  assert.notEqual(a.scenario.version, b.scenario.version);
  const swapped = yumaVersions({ ...a.scenario, version: b.scenario.version, params: b.scenario.params });
  assert.deepEqual(swapped, yumaVersions(b.scenario));
  assert.notDeepEqual(yumaVersions(a.scenario).epochs, swapped.epochs);
});

function throwsCode(f, code, field) {
  assert.throws(f, (e) => e instanceof Error && e.code === code && e.field === field, `${code} ${field}`);
}

test("bad scenarios are coded errors naming the field", () => {
  const s = golden.runs[0].scenario;
  throwsCode(() => yumaVersions("{"), "INVALID_JSON", "scenario");
  throwsCode(() => yumaVersions(42), "INVALID_TYPE", "scenario");
  throwsCode(() => yumaVersions([1, 2]), "INVALID_TYPE", "scenario");
  throwsCode(() => yumaVersions({ ...s, version: "yuma4" }), "UNSUPPORTED", "version");
  throwsCode(() => yumaVersions({ ...s, params: { ...s.params, kappa: "x" } }), "INVALID_TYPE", "params.kappa");
  const { epochs, ...rest } = s;
  throwsCode(() => yumaVersions(rest), "MISSING_FIELD", "epochs");
  assert.equal(yumaVersions(s).epochs.length, epochs.length);
});

test("values are each f32's shortest decimal form, as yuma-simulation prints them", () => {
  const r = yumaVersions({ version: "yuma3", num_validators: 2, num_servers: 1, use_full_matrices: false,
    epochs: [{ weights: [[1], [1]], stakes: [0.5, 0.5] }] });
  const d = r.epochs[0].dividends;
  // Widening the f32 would give 0.4999990165233612; the shortest form reads as 0.49999902.
  assert.deepEqual(d, [0.49999902, 0.49999902]);
  assert.ok(d.every((x) => Math.fround(x) !== x), "not the f32's exact binary value");
});
