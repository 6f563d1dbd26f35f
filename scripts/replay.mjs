// scripts/replay --wasm …: the same subcommands and output contract as the native tao-replay,
// through the wasm package (pkg/node): quote, price, check, block and epoch (the last through the
// package's `Capture` class).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const E = await import(path.join(root, "pkg/node/index.js"));
const [cmd, file, ...rest] = process.argv.slice(2);

function flag(name) {
  const i = rest.indexOf(name);
  if (i < 0) return undefined;
  const v = rest[i + 1];
  if (v === undefined || !/^\d+$/.test(v)) usage(`${name}: ${JSON.stringify(v)} is not a valid number`);
  return v;
}
function usage(msg) {
  console.error(`error: ${msg}\nusage: scripts/replay --wasm quote STATE.json --netuid N (--buy RAO | --sell RAO)\n       scripts/replay --wasm price STATE.json --netuid N\n       scripts/replay --wasm check STATE.json\n       scripts/replay --wasm block PARENT.json CHILD.json\n       scripts/replay --wasm epoch PARENT.json [CHILD.json] --netuid N [--emission RAO]`);
  process.exit(2);
}
// The native tao-replay's field names (the CLI's output contract): the package's camelCase
// reports with their keys snake_cased.
const snake = (v) => Array.isArray(v) ? v.map(snake)
  : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(x)]))
  : v;
function hex(bytes) { return "0x" + Buffer.from(bytes).toString("hex"); }
function le64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; }
function le16(v) { const b = Buffer.alloc(2); b.writeUInt16LE(Number(v)); return b; }

function load(f) {
  try {
    return JSON.parse(readFileSync(f, "utf8"));
  } catch (e) {
    console.error(`error: cannot read ${f}: ${e.message}`);
    process.exit(2);
  }
}
if (!file) usage("missing STATE.json");
const capture = load(file);
// The captured result of method(args), if any.
const captured = (method, argsHex) =>
  (capture.runtime_api ?? []).find((c) => c.method === method && c.args_hex.toLowerCase() === argsHex)?.result?.toLowerCase();

try {
  if (cmd === "quote") {
    const netuid = flag("--netuid") ?? usage("--netuid is required");
    const buy = flag("--buy"), sell = flag("--sell");
    if ((buy === undefined) === (sell === undefined)) usage("give exactly one of --buy RAO and --sell RAO");
    const amount = BigInt(buy ?? sell);
    const q = E.replayQuote(capture, Number(netuid), buy !== undefined ? "buy" : "sell", amount);
    const fields = [q.taoAmount, q.alphaAmount, q.taoFee, q.alphaFee, q.taoSlippage, q.alphaSlippage];
    console.log(JSON.stringify({
      tao_amount: String(q.taoAmount), alpha_amount: String(q.alphaAmount), tao_fee: String(q.taoFee),
      alpha_fee: String(q.alphaFee), tao_slippage: String(q.taoSlippage), alpha_slippage: String(q.alphaSlippage),
    }));
    const method = buy !== undefined ? "SwapRuntimeApi_sim_swap_tao_for_alpha" : "SwapRuntimeApi_sim_swap_alpha_for_tao";
    const want = captured(method, hex(Buffer.concat([le16(netuid), le64(amount)])));
    if (want !== undefined) {
      const n = want.length === 2 + 96 ? 6 : 4;
      const got = hex(Buffer.concat(fields.slice(0, n).map(le64)));
      if (got !== want) { console.error(`mismatch: ${method}: the capture says ${want}, the engine ${got}`); process.exit(1); }
    }
  } else if (cmd === "price") {
    const netuid = flag("--netuid") ?? usage("--netuid is required");
    const p = E.replayPrice(capture, Number(netuid));
    console.log(JSON.stringify({ price_rao: String(p) }));
    const want = captured("SwapRuntimeApi_current_alpha_price", hex(le16(netuid)));
    if (want !== undefined && want !== hex(le64(p))) {
      console.error(`mismatch: SwapRuntimeApi_current_alpha_price: the capture says ${want}, the engine ${hex(le64(p))}`);
      process.exit(1);
    }
  } else if (cmd === "check") {
    const checks = E.replayCheck(capture);
    for (const c of checks) console.log(JSON.stringify(snake(c)));
    const bad = checks.filter((c) => !c.equal).length;
    console.log(`${checks.length - bad} equal, ${bad} mismatched`);
    if (bad > 0 || checks.length === 0) process.exit(1);
  } else if (cmd === "block") {
    if (!rest[0]) usage("missing CHILD.json");
    const r = E.replayBlock(capture, load(rest[0]));
    console.log(JSON.stringify(snake(r), null, 2));
    const eq = r.items.filter((i) => i.equal).length;
    const bad = r.items.length - eq;
    console.log(`${eq} equal, ${bad} mismatched, ${r.missing.length} missing`);
    if (bad > 0 || eq === 0) process.exit(1);
  } else if (cmd === "epoch") {
    const netuid = flag("--netuid") ?? usage("--netuid is required");
    const emission = flag("--emission");
    // CHILD is the first argument that is neither a flag nor a flag's value.
    let childPath;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i].startsWith("--")) { i++; continue; }
      childPath ??= rest[i];
    }
    const cap = new E.Capture(capture);
    try {
      const r = cap.epoch(Number(netuid), childPath === undefined ? undefined : load(childPath), emission === undefined ? undefined : { emission: BigInt(emission) });
      console.log(JSON.stringify(snake(r), null, 2));
      const eq = r.items.filter((i) => i.equal).length;
      const bad = r.items.length - eq;
      console.log(`${eq} equal, ${bad} mismatched, ${r.missing.length} missing`);
      if (childPath !== undefined ? bad > 0 || eq === 0 : r.computed.length === 0) process.exit(1);
    } finally {
      cap.free();
    }
  } else {
    usage(`unknown command ${JSON.stringify(cmd)}`);
  }
} catch (e) {
  console.error(`error: ${e.code ? e.code + " " : ""}${e.field ? "(" + e.field + ") " : ""}${e.message}`);
  process.exit(2);
}
