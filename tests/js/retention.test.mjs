// retentionCells and RetentionMap from the built package (pkg/) under Node: the wasm build gives
// the native engine's golden cells bit for bit (tests/golden/retention-cells.json, written natively
// by tests/retention.rs), chunks (one-off or on a map that keeps the last sampled share) agree with
// the whole map, and bad requests throw coded errors that leave the instance usable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const { retentionCells, RetentionMap } = await import(path.join(here, "../../pkg/node/index.js"));
const golden = JSON.parse(readFileSync(path.join(here, "../golden/retention-cells.json"), "utf8"));

const request = () => ({ ...golden.params, ...golden.grid, seed: golden.params.seed });
const total = golden.grid.stakesMilli.length * (golden.grid.steps + 1) ** 2;
// I32F32 read as a number is bits / 2^32 exactly; back to bits as a decimal string.
const bits = (x) => (BigInt(Math.round(x * 2 ** 32))).toString();

test("the wasm build gives the native engine's cells, bit for bit", () => {
  const r = retentionCells({ ...request(), count: total });
  assert.equal(r.total, total);
  assert.equal(r.majorRatio.length, total);
  assert.deepEqual(r.majorRatio.map(bits), golden.majorRatioBits);
  assert.deepEqual(r.avgWeightDev.map(bits), golden.avgWeightDevBits);
  assert.ok(Number.isInteger(r.runtime.rulesSpec));
});

test("chunks of any size give the same cells as one call", () => {
  const whole = retentionCells({ ...request(), count: total });
  const ratio = [];
  for (let start = 0; start < total; start += 7) {
    const c = retentionCells({ ...request(), start, count: 7 });
    assert.equal(c.start, start);
    ratio.push(...c.majorRatio);
  }
  assert.deepEqual(ratio, whole.majorRatio);
  assert.equal(retentionCells({ ...request(), start: total - 2, count: 100 }).majorRatio.length, 2);
  // A map computes the same chunks, and a bad request leaves it usable.
  const map = new RetentionMap();
  const onMap = [];
  for (let start = 0; start < total; start += 11) {
    onMap.push(...map.cells({ ...request(), start, count: 11 }).majorRatio);
    if (start === 0) assert.throws(() => map.cells({ ...request(), count: "x" }), (e) => e.code === "INVALID_TYPE" && e.field === "count");
  }
  assert.deepEqual(onMap, whole.majorRatio);
  map.free();
});

test("bad requests throw coded errors naming the field", () => {
  const cases = [
    // A required field that is missing is a value of the wrong type (`undefined`).
    [{ ...request(), count: undefined }, "INVALID_TYPE", "count"],
    [{ ...request(), steps: undefined, count: 1 }, "INVALID_TYPE", "steps"],
    [{ ...request(), count: 5000 }, "OUT_OF_RANGE", "count"],
    [{ ...request(), count: 1, kappa: "half" }, "INVALID_TYPE", "kappa"],
    [{ ...request(), count: 1, kappa: 70000 }, "TOO_LARGE", "kappa"],
    [{ ...request(), count: 1, steps: 0 }, "OUT_OF_RANGE", "steps"],
    [{ ...request(), count: 1, stakesMilli: [1000] }, "OUT_OF_RANGE", "stakesMilli[0]"],
    [{ ...request(), count: 1, validatorsN: 1 }, "OUT_OF_RANGE", "validatorsN"],
    [{ ...request(), count: 1, yuma3: 1 }, "INVALID_TYPE", "yuma3"],
    [{ ...request(), count: 1, specVersion: 1 }, "UNSUPPORTED_RUNTIME", "specVersion"],
    [42, "INVALID_TYPE", "request"],
  ];
  for (const [req, code, field] of cases) {
    assert.throws(() => retentionCells(req), (e) => e instanceof Error && e.code === code && e.field === field, `${code} ${field}`);
  }
  assert.equal(retentionCells({ ...request(), count: 1 }).majorRatio.length, 1, "still usable");
});
