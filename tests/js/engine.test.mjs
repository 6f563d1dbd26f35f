// The built npm package (pkg/) under Node: the node build through `import`, the web build through
// initSync, the same chain vectors through both, and the error contract at the boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const nodeBuild = await import(path.join(root, "pkg/node/index.js"));
const webBuild = await import(path.join(root, "pkg/web/tao_engine.js"));
webBuild.initSync({ module: readFileSync(path.join(root, "pkg/web/tao_engine_bg.wasm")) });

const fixtureDir = path.join(root, "tests/fixtures/pool");
const halvingCases = readdirSync(fixtureDir)
  .filter((f) => f.startsWith("block-emission"))
  .flatMap((f) => JSON.parse(readFileSync(path.join(fixtureDir, f), "utf8")).cases)
  .filter((c) => c.inputs.issuance !== undefined);

for (const [name, engine] of [["node build", nodeBuild], ["web build (initSync)", webBuild]]) {
  test(`${name}: blockEmission matches every halving vector`, () => {
    assert.ok(halvingCases.length > 10, "the fixture has cases");
    for (const c of halvingCases) {
      const got = engine.blockEmission(BigInt(c.inputs.issuance));
      assert.equal(typeof got, "bigint");
      assert.equal(got, BigInt(c.expected.emission), `issuance ${c.inputs.issuance}`);
    }
  });

  test(`${name}: number and decimal-string inputs give the same bigint`, () => {
    assert.equal(engine.blockEmission(0), 1_000_000_000n);
    assert.equal(engine.blockEmission("15750000000000000"), 250_000_000n);
    assert.equal(engine.blockEmission(Number.MAX_SAFE_INTEGER), 1_000_000_000n);
  });

  test(`${name}: bad input throws an Error with a stable code, and the instance keeps working`, () => {
    const bad = [
      [-1, RangeError, "NEGATIVE"],
      [-1n, RangeError, "NEGATIVE"],
      ["-5", RangeError, "NEGATIVE"],
      [2n ** 64n, RangeError, "TOO_LARGE"],
      ["18446744073709551616", RangeError, "TOO_LARGE"],
      [Number.MAX_SAFE_INTEGER + 2, RangeError, "TOO_LARGE"],
      [NaN, RangeError, "NOT_FINITE"],
      [Infinity, RangeError, "NOT_FINITE"],
      [1.5, RangeError, "NOT_AN_INTEGER"],
      ["12abc", Error, "INVALID_TYPE"],
      [{}, Error, "INVALID_TYPE"],
      [null, Error, "INVALID_TYPE"],
      [undefined, Error, "INVALID_TYPE"],
    ];
    for (const [input, cls, code] of bad) {
      assert.throws(() => engine.blockEmission(input), (e) => {
        assert.ok(e instanceof cls, `${String(input)}: ${e?.constructor?.name}`);
        assert.equal(e.code, code, `${String(input)}: code`);
        assert.equal(e.field, "issuance");
        assert.ok(e.message.length > 0, "a message");
        assert.doesNotMatch(e.message, new RegExp(code), "the message does not repeat the code");
        return true;
      });
      // The instance survives: a good call right after still gives the chain's value.
      assert.equal(engine.blockEmission(10_500_000_000_000_000n), 500_000_000n);
    }
  });

  test(`${name}: halving schedule agrees with blockEmission at every threshold`, () => {
    const s = engine.halvingSchedule(10);
    assert.equal(s.length, 10);
    for (let i = 1; i < s.length; i++) {
      assert.equal(engine.blockEmission(s[i].issuanceFrom), s[i].emission);
      assert.equal(engine.blockEmission(s[i].issuanceFrom - 1n), s[i - 1].emission);
      assert.ok(s[i].emission < s[i - 1].emission);
    }
    assert.deepEqual(Array.from(engine.blockEmissionBatch(new BigUint64Array([0n, s[3].issuanceFrom]))), [1_000_000_000n, s[3].emission]);
  });

  test(`${name}: build info reports the SIMD build`, () => {
    const info = engine.buildInfo();
    assert.equal(info.simd, true);
    assert.match(info.version, /^\d+\.\d+\.\d+/);
  });
}
