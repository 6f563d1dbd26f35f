// tao-engine/rpc, the JSON-RPC client. The source is js/rpc.ts; `tsc -p js` (run by scripts/build)
// emits js/rpc.js and js/rpc.d.ts from it (both git-ignored), which pkg/js/ ships.
// Plain ESM, no dependencies, no Node built-ins: the same module runs in the browser and in Node.
// Over 500 lines: one client (transports, retries, paging, validation) that ships as one module.

/**
 * JSON-RPC 2.0 client for a Subtensor (Bittensor) node, for browsers and Node >= 20.
 *
 * - HTTP(S) endpoints use `fetch`; calls made in the same tick are sent as one JSON-RPC batch
 *   array (option `batch`).
 * - WebSocket endpoints (`ws://`, `wss://`) use the platform `WebSocket` (browsers, Node >= 22,
 *   Node 20 with `--experimental-websocket`) or `options.WebSocket`; calls are pipelined on one
 *   socket, and a dropped socket is reopened on the next call or retry.
 * - Transient failures (RPC_TIMEOUT, RPC_NETWORK, RPC_CLOSED, RPC_HTTP with status 5xx/408/429) are
 *   retried with exponential backoff and jitter; JSON-RPC errors from the node and invalid
 *   responses are not.
 * - Every response is validated (JSON-RPC envelope, id, hex of whole bytes, hash lengths) and every
 *   failure is an {@link RpcError} with a stable {@link RpcErrorCode}.
 *
 * There is no default endpoint: pass the node you trust.
 *
 * @example
 * ```ts
 * import { createRpcClient, RpcError } from "tao-engine/rpc";
 *
 * const rpc = createRpcClient({ endpoint: "wss://my-subtensor-node.example:443", timeoutMs: 10_000, retries: 3 });
 * const at = await rpc.getBlockHash();                       // pin one block for consistent reads
 * const version = await rpc.getRuntimeVersion(at);
 * const neuronsHex = await rpc.stateCall("NeuronInfoRuntimeApi_get_neurons_lite", "0x0100", at);
 * const ac = new AbortController();
 * const keys = await rpc.getAllKeys("0x658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec4", {
 *   at, pageSize: 1000, signal: ac.signal, onProgress: (p) => console.log(p.phase, p.total),
 * });
 * try {
 *   await rpc.getStorage("0x1234", at);
 * } catch (e) {
 *   if (e instanceof RpcError && e.code === "RPC_ERROR") console.log(e.rpcCode, e.rpcMessage);
 * }
 * rpc.close();
 * ```
 * @packageDocumentation
 */

/** Stable error codes carried by `RpcError#code`. */
export const ERROR_CODES = Object.freeze({
  TIMEOUT: "RPC_TIMEOUT",
  HTTP: "RPC_HTTP",
  NETWORK: "RPC_NETWORK",
  MALFORMED: "RPC_MALFORMED",
  BAD_ID: "RPC_BAD_ID",
  BAD_HEX: "RPC_BAD_HEX",
  ERROR: "RPC_ERROR",
  CLOSED: "RPC_CLOSED",
  CANCELLED: "CANCELLED",
  CONFIG: "RPC_CONFIG",
  INVALID_ARGUMENT: "RPC_INVALID_ARGUMENT",
} as const);
const C = ERROR_CODES;

/** Stable error codes (the values of {@link ERROR_CODES}). */
export type RpcErrorCode =
  /** No response within `timeoutMs` (transient). */
  | "RPC_TIMEOUT"
  /** Non-2xx HTTP status; transient for 5xx, 408 and 429. `status` holds it. */
  | "RPC_HTTP"
  /** The connection could not be made (transient). */
  | "RPC_NETWORK"
  /** The body is not JSON, or not a valid JSON-RPC response / result shape. */
  | "RPC_MALFORMED"
  /** A response id is missing or matches no request. */
  | "RPC_BAD_ID"
  /** A value that must be hex is not hex, has an odd number of digits, or has the wrong length. */
  | "RPC_BAD_HEX"
  /** The node answered a JSON-RPC error object: see `rpcCode`, `rpcMessage`, `rpcData`. */
  | "RPC_ERROR"
  /** The connection dropped with the request pending (transient), or the client was closed (not transient). */
  | "RPC_CLOSED"
  /** The request's AbortSignal fired. */
  | "CANCELLED"
  /** Invalid client options (endpoint, retries, timeoutMs, no fetch/WebSocket). */
  | "RPC_CONFIG"
  /** An invalid argument to a client method (non-hex key, bad block number, page size). */
  | "RPC_INVALID_ARGUMENT";

/** A `0x`-prefixed lower-case hex string of whole bytes. */
export type Hex = `0x${string}`;

/** Fields an {@link RpcError} may carry besides its code (see the class). */
interface RpcErrorDetails {
  cause?: unknown;
  transient?: boolean;
  method?: string;
  attempts?: number;
  status?: number;
  retryAfterMs?: number;
  rpcCode?: number;
  rpcMessage?: string;
  rpcData?: unknown;
}

/** Substrate's upper bound for the `count` of state_getKeysPaged (1000). */
export const MAX_KEYS_PAGE: number = 1000;

/** Every failure of the client, with a stable `code`. The message starts with the code. */
export class RpcError extends Error {
  declare readonly name: "RpcError";
  declare readonly code: RpcErrorCode;
  /** Whether a retry may succeed (the client retries these itself, up to `retries`). */
  declare readonly transient: boolean;
  /** The JSON-RPC method, when known. */
  declare method?: string;
  /** How many attempts were made before giving up. */
  declare attempts?: number;
  /** RPC_HTTP: the HTTP status. */
  declare status?: number;
  /** RPC_HTTP: the server's Retry-After, in ms. */
  declare retryAfterMs?: number;
  /** RPC_ERROR: the node's error code. */
  declare rpcCode?: number;
  /** RPC_ERROR: the node's error message. */
  declare rpcMessage?: string;
  /** RPC_ERROR: the node's error data. */
  declare rpcData?: unknown;

  constructor(code: RpcErrorCode, message: string, details: RpcErrorDetails & Record<string, unknown> = {}) {
    const { cause, ...rest } = details;
    super(`${code}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = "RpcError";
    this.code = code;
    Object.assign(this, rest);
    if (this.transient === undefined) this.transient = isTransientCode(code, rest.status);
  }
}

function isTransientCode(code: RpcErrorCode, status: number | undefined): boolean {
  if (code === C.TIMEOUT || code === C.NETWORK || code === C.CLOSED) return true;
  if (code === C.HTTP) return status !== undefined && (status >= 500 || status === 408 || status === 429);
  return false;
}

/** Whether `err` is an RpcError the client treats as transient (it would retry it). */
export function isTransient(err: unknown): boolean {
  return err instanceof RpcError && err.transient === true;
}

function cancelled(signal: AbortSignal | undefined): RpcError {
  const reason = signal?.reason;
  return new RpcError(C.CANCELLED, "the request was cancelled", {
    transient: false,
    ...(reason === undefined ? {} : { cause: reason }),
  });
}

// ---------------------------------------------------------------------------------------------
// Backoff

/**
 * A deterministic PRNG (mulberry32) in [0, 1): `seed` the client with a number to make its
 * retry jitter reproducible.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential backoff settings. */
export interface Backoff {
  /** First retry delay in ms (default 250). */
  baseMs?: number;
  /** Growth per retry (default 2). */
  factor?: number;
  /** Upper bound of any delay in ms (default 10000). */
  maxMs?: number;
  /** Relative jitter: the delay is scaled by a factor in [1 - jitter, 1 + jitter] (default 0.2). */
  jitter?: number;
}

/** Default backoff: 250 ms doubling up to 10 s, +-20 % jitter. */
export const DEFAULT_BACKOFF: Readonly<Required<Backoff>> = Object.freeze({ baseMs: 250, factor: 2, maxMs: 10_000, jitter: 0.2 });

/**
 * Delay in ms before retry number `retry` (0 = the first retry):
 * min(maxMs, baseMs * factor^retry), scaled by a factor in [1 - jitter, 1 + jitter] drawn from
 * `random`, then clamped to [0, maxMs].
 */
export function backoffDelay(retry: number, backoff: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const { baseMs, factor, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...backoff };
  const nominal = Math.min(maxMs, baseMs * factor ** retry);
  const scaled = nominal * (1 + jitter * (2 * random() - 1));
  return Math.max(0, Math.min(maxMs, Math.round(scaled)));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Hex helpers and result validation

const HEX_BODY = /^[0-9a-fA-F]*$/;

function describe(v: unknown): string {
  if (typeof v === "string") return v.length > 40 ? `"${v.slice(0, 40)}..." (${v.length} chars)` : `"${v}"`;
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

/**
 * Check that `value` is `0x`-prefixed hex of whole bytes (of exactly `bytes` bytes when given) and
 * return it in lower case; otherwise throw RPC_BAD_HEX naming `what`.
 */
export function expectHex(value: unknown, what: string, bytes?: number): Hex {
  if (typeof value !== "string" || !value.startsWith("0x") || !HEX_BODY.test(value.slice(2))) {
    throw new RpcError(C.BAD_HEX, `${what}: expected 0x-prefixed hex, got ${describe(value)}`);
  }
  if (value.length % 2 !== 0) {
    throw new RpcError(C.BAD_HEX, `${what}: odd number of hex digits (${value.length - 2}), truncated?`);
  }
  if (bytes !== undefined && value.length !== 2 + 2 * bytes) {
    throw new RpcError(C.BAD_HEX, `${what}: expected ${bytes} bytes, got ${(value.length - 2) / 2}`);
  }
  return value.toLowerCase() as Hex;
}

function expectQuantity(value: unknown, what: string, max = 0xffffffff): number {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value)) {
    throw new RpcError(C.BAD_HEX, `${what}: expected a hex quantity, got ${describe(value)}`);
  }
  const n = Number.parseInt(value.slice(2), 16);
  if (!(n <= max)) throw new RpcError(C.MALFORMED, `${what}: ${value} is out of range`);
  return n;
}

function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RpcError(C.MALFORMED, `${what}: expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function expectArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new RpcError(C.MALFORMED, `${what}: expected an array, got ${describe(value)}`);
  return value;
}

function expectU32(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RpcError(C.MALFORMED, `${what}: expected a u32, got ${describe(value)}`);
  }
  return value;
}

function expectString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new RpcError(C.MALFORMED, `${what}: expected a string, got ${describe(value)}`);
  return value;
}

/** `0x...` hex (whole bytes) to a Uint8Array. Throws RPC_BAD_HEX on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  const h = expectHex(hex, "hex");
  const out = new Uint8Array((h.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Bytes (Uint8Array or an array of integers 0..255) to lower-case `0x...` hex. */
export function bytesToHex(bytes: Iterable<number>): Hex {
  let s: Hex = "0x";
  for (const b of bytes) {
    if (!Number.isInteger(b) || b < 0 || b > 255) throw new RpcError(C.BAD_HEX, `byte ${describe(b)} is not in 0..255`);
    s += b.toString(16).padStart(2, "0");
  }
  return s;
}

function argHex(value: unknown, what: string, bytes?: number): Hex {
  try {
    return expectHex(value, what, bytes);
  } catch (e) {
    throw new RpcError(C.INVALID_ARGUMENT, (e as Error).message.replace(/^RPC_BAD_HEX: /, ""));
  }
}

function argAt(at: unknown): Hex | null {
  return at === undefined || at === null ? null : argHex(at, "at (block hash)", 32);
}

// SCALE Compact<u32> as hex digits (no 0x).
function compactHex(n: number): string {
  const le = (v: number, len: number) => {
    let s = "";
    for (let i = 0; i < len; i++) s += ((v / 2 ** (8 * i)) & 0xff).toString(16).padStart(2, "0");
    return s;
  };
  if (n < 1 << 6) return le(n * 4, 1);
  if (n < 1 << 14) return le(n * 4 + 1, 2);
  if (n < 2 ** 30) return le(n * 4 + 2, 4);
  return "03" + le(n, 4);
}

/** A header as chain_getHeader returns it. */
export interface Header {
  parentHash: Hex;
  /** Block number as a hex quantity, e.g. "0x63fe87". */
  number: Hex;
  stateRoot: Hex;
  extrinsicsRoot: Hex;
  digest: { logs: Hex[] };
}

/** state_getRuntimeVersion's result. */
export interface RuntimeVersion {
  specName: string;
  implName: string;
  authoringVersion: number;
  specVersion: number;
  implVersion: number;
  /** [8-byte API id, version] pairs. */
  apis: [Hex, number][];
  transactionVersion: number;
  stateVersion?: number;
  systemVersion?: number;
}

/** One change set of state_queryStorageAt. */
export interface StorageChangeSet {
  block: Hex;
  /** [key, value] pairs; value null = absent. */
  changes: [Hex, Hex | null][];
}

/** Check a chain_getHeader result; returns the same header with hex fields in lower case. */
export function validateHeader(value: unknown): Header {
  const h = expectObject(value, "header");
  const digest = expectObject(h.digest, "header.digest");
  return {
    ...h,
    parentHash: expectHex(h.parentHash, "header.parentHash", 32),
    number: (expectQuantity(h.number, "header.number"), (h.number as string).toLowerCase() as Hex),
    stateRoot: expectHex(h.stateRoot, "header.stateRoot", 32),
    extrinsicsRoot: expectHex(h.extrinsicsRoot, "header.extrinsicsRoot", 32),
    digest: { ...digest, logs: expectArray(digest.logs, "header.digest.logs").map((l, i) => expectHex(l, `header.digest.logs[${i}]`)) },
  };
}

/**
 * SCALE encoding of a header as chain_getHeader returns it (Header<u32, BlakeTwo256>: parentHash,
 * Compact block number, stateRoot, extrinsicsRoot, Vec<DigestItem> of the already-encoded logs).
 * Its blake2b-256 is the block hash.
 */
export function encodeHeader(header: Header): Hex {
  const h = validateHeader(header);
  const logs = h.digest.logs;
  return ("0x" + h.parentHash.slice(2) + compactHex(Number.parseInt(h.number.slice(2), 16)) + h.stateRoot.slice(2) +
    h.extrinsicsRoot.slice(2) + compactHex(logs.length) + logs.map((l) => l.slice(2)).join("")) as Hex;
}

/** Check a state_getRuntimeVersion result. */
export function validateRuntimeVersion(value: unknown): RuntimeVersion {
  const v = expectObject(value, "runtimeVersion");
  expectString(v.specName, "runtimeVersion.specName");
  expectString(v.implName, "runtimeVersion.implName");
  for (const k of ["authoringVersion", "specVersion", "implVersion", "transactionVersion"]) expectU32(v[k], `runtimeVersion.${k}`);
  for (const k of ["stateVersion", "systemVersion"]) if (v[k] !== undefined) expectU32(v[k], `runtimeVersion.${k}`);
  const apis = expectArray(v.apis, "runtimeVersion.apis").map((a, i): [Hex, number] => {
    if (!Array.isArray(a) || a.length !== 2) throw new RpcError(C.MALFORMED, `runtimeVersion.apis[${i}]: expected [id, version]`);
    return [expectHex(a[0], `runtimeVersion.apis[${i}] id`, 8), expectU32(a[1], `runtimeVersion.apis[${i}] version`)];
  });
  return { ...v, apis } as RuntimeVersion;
}

// ---------------------------------------------------------------------------------------------
// Transports

/** A JSON-RPC response object (not yet validated beyond being an object). */
type Message = Record<string, unknown>;

/** One HTTP request in flight: the calls still waiting for it and its abort controller. */
interface HttpRequest {
  live: Set<Call>;
  ctrl: AbortController;
  finished: boolean;
}

/** One attempt of one call, as the transports see it. */
interface Call {
  id: number;
  method: string;
  params: unknown[];
  done: boolean;
  resolve: (value: unknown) => void;
  reject: (err: RpcError) => void;
  timer?: ReturnType<typeof setTimeout>;
  /** HTTP: the request carrying the call. */
  req?: HttpRequest;
  /** WebSocket: the socket the call was sent on. */
  ws?: WebSocketLike;
}

interface Transport {
  enqueue(call: Call): void;
  detach(call: Call): void;
  close(): void;
}

/** The message of an unknown thrown value (its cause's first, as fetch wraps the real error). */
function messageOf(e: unknown, withCause = false): string {
  const err = e as { message?: unknown; cause?: { message?: unknown } } | null | undefined;
  return String((withCause ? err?.cause?.message : undefined) ?? err?.message ?? e);
}

function envelope(call: Call) {
  return { jsonrpc: "2.0", id: call.id, method: call.method, params: call.params };
}

function rpcErrorFrom(call: Call | null, error: unknown): RpcError {
  const e = error as { code?: unknown; message?: unknown; data?: unknown } | null;
  if (e === null || typeof e !== "object" || !Number.isInteger(e.code) || typeof e.message !== "string") {
    return new RpcError(C.MALFORMED, `${call?.method ?? "batch"}: invalid JSON-RPC error object`);
  }
  return new RpcError(C.ERROR, `${call?.method ?? "batch"}: node error ${e.code}: ${e.message}`, {
    method: call?.method, rpcCode: e.code as number, rpcMessage: e.message, rpcData: e.data,
  });
}

// Settle `call` from a response object whose id already matched.
function settle(call: Call, msg: Message): void {
  if (msg.jsonrpc !== "2.0") return call.reject(new RpcError(C.MALFORMED, `${call.method}: response is not JSON-RPC 2.0`));
  const hasError = Object.hasOwn(msg, "error");
  const hasResult = Object.hasOwn(msg, "result");
  if (hasError === hasResult) return call.reject(new RpcError(C.MALFORMED, `${call.method}: response needs exactly one of result and error`));
  if (hasError) return call.reject(rpcErrorFrom(call, msg.error));
  call.resolve(msg.result);
}

function isObj(v: unknown): v is Message {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

class HttpTransport implements Transport {
  declare client: RpcClient;
  declare queue: Call[];
  declare scheduled: boolean;
  declare inflight: Set<HttpRequest>;

  constructor(client: RpcClient) {
    this.client = client;
    this.queue = [];
    this.scheduled = false;
    this.inflight = new Set();
  }

  enqueue(call: Call): void {
    const { batch } = this.client;
    if (!batch) return void this.send([call], false);
    this.queue.push(call);
    if (this.queue.length >= batch.maxSize) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      // A macrotask, so that calls made in the same event-loop turn (including retries whose
      // backoff timers fire together) share one batch.
      setTimeout(() => this.flush(), batch.windowMs);
    }
  }

  flush(): void {
    this.scheduled = false;
    const calls = this.queue.splice(0).filter((c) => !c.done);
    const max = this.client.batch!.maxSize;
    for (let i = 0; i < calls.length; i += max) {
      const chunk = calls.slice(i, i + max);
      this.send(chunk, chunk.length > 1);
    }
  }

  detach(call: Call): void {
    const q = this.queue.indexOf(call);
    if (q >= 0) this.queue.splice(q, 1);
    const req = call.req;
    if (req) {
      call.req = undefined;
      req.live.delete(call);
      if (req.live.size === 0 && !req.finished) req.ctrl.abort();
    }
  }

  async send(calls: Call[], asBatch: boolean): Promise<void> {
    const ctrl = new AbortController();
    const req: HttpRequest = { live: new Set(calls), ctrl, finished: false };
    for (const c of calls) c.req = req;
    const failAll = (err: RpcError) => {
      req.finished = true;
      for (const c of [...req.live]) c.reject(err);
    };
    this.inflight.add(req);
    try {
      await this.exchange(calls, asBatch, req, ctrl, failAll);
    } finally {
      this.inflight.delete(req);
    }
  }

  async exchange(calls: Call[], asBatch: boolean, req: HttpRequest, ctrl: AbortController, failAll: (err: RpcError) => void): Promise<void> {
    const client = this.client;
    const body = JSON.stringify(asBatch ? calls.map(envelope) : envelope(calls[0]!));
    client.emit({ type: "http-request", calls: calls.length, batch: asBatch });
    let res: Response;
    try {
      res = await client.fetch!(client.endpoint, {
        method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...client.headers }, body, signal: ctrl.signal,
      });
    } catch (e) {
      if (!ctrl.signal.aborted) failAll(new RpcError(C.NETWORK, `connection to the node failed: ${messageOf(e, true)}`, { cause: e }));
      return;
    }
    if (!res.ok) {
      const ra = res.headers.get("retry-after");
      const retryAfterMs = ra !== null && /^\d+$/.test(ra.trim()) ? Number(ra) * 1000 : undefined;
      try { await res.body?.cancel(); } catch { /* ignore */ }
      if (!ctrl.signal.aborted) failAll(new RpcError(C.HTTP, `HTTP ${res.status} ${res.statusText ?? ""}`.trim(), { status: res.status, retryAfterMs }));
      return;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if (!ctrl.signal.aborted) failAll(new RpcError(C.CLOSED, `the connection dropped mid-response: ${messageOf(e, true)}`, { cause: e }));
      return;
    }
    if (ctrl.signal.aborted) return;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return failAll(new RpcError(C.MALFORMED, `the response is not JSON (${text.length} chars)`, { cause: e }));
    }
    req.finished = true;
    if (!asBatch) {
      const call = calls[0]!;
      if (call.done) return;
      if (!isObj(msg)) return call.reject(new RpcError(C.MALFORMED, `${call.method}: the response is not a JSON-RPC object`));
      if (!Object.hasOwn(msg, "id")) return call.reject(new RpcError(C.BAD_ID, `${call.method}: the response has no id`));
      if (msg.id === null && Object.hasOwn(msg, "error")) return settle(call, msg);
      if (msg.id !== call.id) return call.reject(new RpcError(C.BAD_ID, `${call.method}: response id ${JSON.stringify(msg.id)} does not match request id ${call.id}`));
      return settle(call, msg);
    }
    const live = [...req.live];
    if (!Array.isArray(msg)) {
      if (isObj(msg) && msg.id === null && Object.hasOwn(msg, "error")) {
        const err = rpcErrorFrom(null, msg.error);
        return live.forEach((c) => c.reject(err));
      }
      const err = new RpcError(C.MALFORMED, "the response to a batch is not an array");
      return live.forEach((c) => c.reject(err));
    }
    const byId = new Map<unknown, Call>(calls.map((c) => [c.id, c]));
    const seen = new Map<unknown, Message>();
    for (const m of msg as unknown[]) {
      if (!isObj(m)) {
        const err = new RpcError(C.MALFORMED, "a batch response element is not an object");
        return live.forEach((c) => c.reject(err));
      }
      if (!Object.hasOwn(m, "id") || !byId.has(m.id) || seen.has(m.id)) {
        const err = new RpcError(C.BAD_ID, `batch response id ${JSON.stringify(m.id)} is missing, unknown or repeated`);
        return live.forEach((c) => c.reject(err));
      }
      seen.set(m.id, m);
    }
    for (const c of live) {
      const m = seen.get(c.id);
      if (m) settle(c, m);
      else c.reject(new RpcError(C.BAD_ID, `${c.method}: no response for id ${c.id} in the batch`));
    }
  }

  close(): void {
    const err = new RpcError(C.CLOSED, "the client was closed", { transient: false });
    for (const c of this.queue.splice(0)) c.reject(err);
    for (const req of [...this.inflight]) for (const c of [...req.live]) c.reject(err);
  }
}

const WS_OPEN = 1;
const IGNORED_IDS_KEPT = 4096;

class WsTransport implements Transport {
  declare client: RpcClient;
  declare ws: WebSocketLike | null;
  declare opening: Promise<WebSocketLike> | null;
  declare pending: Map<unknown, Call>;
  declare ignored: Set<unknown>;
  declare closed: boolean;

  constructor(client: RpcClient) {
    this.client = client;
    this.ws = null;
    this.opening = null;
    this.pending = new Map();
    this.ignored = new Set();
    this.closed = false;
  }

  enqueue(call: Call): void {
    this.open().then((ws) => {
      if (call.done) return;
      this.pending.set(call.id, call);
      call.ws = ws;
      try {
        ws.send(JSON.stringify(envelope(call)));
      } catch (e) {
        call.reject(new RpcError(C.CLOSED, `send failed: ${messageOf(e)}`, { cause: e }));
      }
    }, (err: RpcError) => call.reject(err));
  }

  detach(call: Call): void {
    if (this.pending.get(call.id) === call) {
      this.pending.delete(call.id);
      this.ignore(call.id);
    }
  }

  ignore(id: unknown): void {
    this.ignored.add(id);
    if (this.ignored.size > IGNORED_IDS_KEPT) this.ignored.delete(this.ignored.values().next().value);
  }

  open(): Promise<WebSocketLike> {
    if (this.closed) return Promise.reject(new RpcError(C.CLOSED, "the client was closed", { transient: false }));
    if (this.ws && this.ws.readyState === WS_OPEN) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    const client = this.client;
    const Impl = client.WebSocket!;
    this.opening = new Promise((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = new Impl(client.endpoint);
      } catch (e) {
        this.opening = null;
        return reject(new RpcError(C.NETWORK, `cannot open a WebSocket: ${messageOf(e)}`, { cause: e }));
      }
      let opened = false;
      const timer = client.timeoutMs > 0 && Number.isFinite(client.timeoutMs)
        ? setTimeout(() => {
          if (opened) return;
          this.opening = null;
          reject(new RpcError(C.TIMEOUT, `WebSocket connect timed out after ${client.timeoutMs} ms`));
          try { ws.close(); } catch { /* ignore */ }
        }, client.timeoutMs)
        : undefined;
      ws.addEventListener("open", () => {
        opened = true;
        clearTimeout(timer);
        this.opening = null;
        if (this.closed) {
          ws.close();
          return reject(new RpcError(C.CLOSED, "the client was closed", { transient: false }));
        }
        this.ws = ws;
        client.emit({ type: "open" });
        resolve(ws);
      });
      ws.addEventListener("message", (ev: { data: unknown }) => this.onMessage(ws, ev.data));
      ws.addEventListener("close", (ev: { code: number }) => {
        clearTimeout(timer);
        if (!opened) {
          if (this.opening) {
            this.opening = null;
            reject(new RpcError(C.NETWORK, `the WebSocket connection failed (close code ${ev.code})`));
          }
          return;
        }
        this.onClose(ws, ev.code);
      });
      ws.addEventListener("error", () => { /* a close event follows */ });
    });
    return this.opening;
  }

  onClose(ws: WebSocketLike, code: number): void {
    if (this.ws === ws) this.ws = null;
    this.client.emit({ type: "close", code });
    const err = this.closed
      ? new RpcError(C.CLOSED, "the client was closed", { transient: false })
      : new RpcError(C.CLOSED, `the WebSocket dropped (close code ${code}) with the request pending`);
    for (const call of [...this.pending.values()]) if (call.ws === ws) call.reject(err);
  }

  failSocket(ws: WebSocketLike, err: RpcError): void {
    for (const call of [...this.pending.values()]) if (call.ws === ws) call.reject(err);
  }

  onMessage(ws: WebSocketLike, data: unknown): void {
    if (typeof data !== "string") {
      if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) data = new TextDecoder().decode(data);
      else if (typeof (data as Blob | null)?.text === "function") return void (data as Blob).text().then((t) => this.onMessage(ws, t));
      else return this.failSocket(ws, new RpcError(C.MALFORMED, "unreadable WebSocket message"));
    }
    const text = data as string;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return this.failSocket(ws, new RpcError(C.MALFORMED, `a WebSocket message is not JSON (${text.length} chars)`, { cause: e }));
    }
    for (const m of Array.isArray(msg) ? msg : [msg]) {
      if (!isObj(m)) return this.failSocket(ws, new RpcError(C.MALFORMED, "a WebSocket message is not a JSON-RPC object"));
      if (!Object.hasOwn(m, "id") && typeof m.method === "string") continue; // a notification
      const call = this.pending.get(m.id);
      if (call && call.ws === ws) {
        this.pending.delete(m.id);
        settle(call, m);
      } else if (this.ignored.has(m.id)) {
        // a late answer to a request that timed out or was cancelled
      } else if (m.id === null && Object.hasOwn(m, "error")) {
        this.failSocket(ws, rpcErrorFrom(null, m.error));
      } else {
        this.failSocket(ws, new RpcError(C.BAD_ID, `WebSocket response id ${JSON.stringify(m.id)} matches no pending request`));
      }
    }
  }

  close(): void {
    this.closed = true;
    const ws = this.ws;
    this.ws = null;
    const err = new RpcError(C.CLOSED, "the client was closed", { transient: false });
    for (const call of [...this.pending.values()]) call.reject(err);
    if (ws) try { ws.close(1000); } catch { /* ignore */ }
  }
}

// ---------------------------------------------------------------------------------------------
// The client

/** Events reported through `onEvent` (diagnostics; an observer that throws is ignored). */
export type RpcEvent =
  | { type: "retry"; method: string; attempt: number; delayMs: number; error: RpcError }
  | { type: "http-request"; calls: number; batch: boolean }
  | { type: "open" }
  | { type: "close"; code: number };

/** What the client needs of a WebSocket (the browser's, Node's, or the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: any) => void): void;
}

export interface RpcClientOptions {
  /** `http(s)://` or `ws(s)://` URL of the node. Required; there is no default. */
  endpoint: string;
  /** Per-attempt timeout in ms (default 30000; 0 = none). Also bounds a WebSocket connect. */
  timeoutMs?: number;
  /** Retries after the first attempt for transient failures (default 3). */
  retries?: number;
  /** Backoff between retries. */
  backoff?: Backoff;
  /** Seed for the jitter PRNG: makes retry delays reproducible. */
  seed?: number;
  /** Custom source of randomness in [0, 1) for the jitter (overrides `seed`). */
  random?: () => number;
  /**
   * HTTP batching: calls enqueued within `windowMs` (0 = the same tick) are sent as one batch array
   * of at most `maxSize` calls (default 64). `false` sends one HTTP request per call. Ignored for
   * WebSocket endpoints (calls are pipelined instead).
   */
  batch?: boolean | { maxSize?: number; windowMs?: number };
  /** Extra HTTP headers (e.g. an API key). */
  headers?: Record<string, string>;
  /** A fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** A WebSocket constructor (default: globalThis.WebSocket), e.g. the `ws` package in Node 20. */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Observer for retries, HTTP requests and socket open/close. */
  onEvent?: (event: RpcEvent) => void;
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call (and any backoff wait): it rejects with code CANCELLED. */
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
  /** Overrides the client's retries for this call. */
  retries?: number;
}

/** Progress of a paged read. */
export type PagedProgress =
  | { phase: "keys"; page: number; pageKeys: number; total: number; lastKey: Hex | null; done: boolean }
  | { phase: "values"; done: number; total: number };

export interface PagedOptions extends CallOptions {
  /** Block hash to read at; pin one so all pages come from the same block. */
  at?: Hex | null;
  /** Keys per state_getKeysPaged call, 1..1000 (default 1000). */
  pageSize?: number;
  /** Start after this key (default: the prefix itself). */
  startKey?: Hex;
  /** Stop after this many keys. */
  maxKeys?: number;
  /** Keys per state_queryStorageAt call in getStorageEntries (default 256). */
  chunkSize?: number;
  /** Called after every page of keys and every chunk of values. */
  onProgress?: (progress: PagedProgress) => void;
}


/** Same as `new RpcClient(options)`. */
export function createRpcClient(options: RpcClientOptions): RpcClient {
  return new RpcClient(options);
}

/** A client of one node; see the module's documentation. */
export class RpcClient {
  declare readonly endpoint: string;
  /** "http" or "ws", from the endpoint's scheme. */
  declare readonly transport: "http" | "ws";
  /** @internal */ declare timeoutMs: number;
  /** @internal */ declare retries: number;
  /** @internal */ declare backoff: Required<Backoff>;
  /** @internal */ declare random: () => number;
  /** @internal */ declare batch: { maxSize: number; windowMs: number } | null;
  /** @internal */ declare headers: Record<string, string>;
  /** @internal */ declare onEvent: ((event: RpcEvent) => void) | undefined;
  /** @internal */ declare nextId: number;
  /** @internal */ declare closed: boolean;
  /** @internal */ declare fetch?: typeof fetch;
  /** @internal */ declare WebSocket?: new (url: string) => WebSocketLike;
  /** @internal */ declare t: Transport;

  constructor(options: RpcClientOptions) {
    const { endpoint } = options ?? {};
    let url;
    try {
      url = new URL(endpoint);
    } catch {
      throw new RpcError(C.CONFIG, `endpoint must be an absolute http(s):// or ws(s):// URL, got ${describe(endpoint)}`);
    }
    if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol)) {
      throw new RpcError(C.CONFIG, `unsupported endpoint protocol ${url.protocol}`);
    }
    this.endpoint = String(endpoint);
    this.transport = url.protocol.startsWith("ws") ? "ws" : "http";
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    if (!(Number.isInteger(this.retries) && this.retries >= 0)) throw new RpcError(C.CONFIG, "retries must be an integer >= 0");
    if (!(this.timeoutMs >= 0)) throw new RpcError(C.CONFIG, "timeoutMs must be >= 0 (0 = no timeout)");
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? (options.seed !== undefined ? seededRandom(options.seed) : Math.random);
    const b = options.batch ?? true;
    this.batch = b === false ? null : { maxSize: 64, windowMs: 0, ...(b === true ? {} : b) };
    if (this.batch && !(Number.isInteger(this.batch.maxSize) && this.batch.maxSize >= 1 && this.batch.windowMs >= 0)) {
      throw new RpcError(C.CONFIG, "batch.maxSize must be an integer >= 1 and batch.windowMs >= 0");
    }
    this.headers = options.headers ?? {};
    this.onEvent = options.onEvent;
    this.nextId = 1;
    this.closed = false;
    if (this.transport === "http") {
      this.fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
      if (typeof this.fetch !== "function") throw new RpcError(C.CONFIG, "no fetch available: pass options.fetch");
      this.t = new HttpTransport(this);
    } else {
      this.WebSocket = options.WebSocket ?? (globalThis.WebSocket as (new (url: string) => WebSocketLike) | undefined);
      if (typeof this.WebSocket !== "function") {
        throw new RpcError(C.CONFIG, "no WebSocket available (Node 20 needs --experimental-websocket): pass options.WebSocket");
      }
      this.t = new WsTransport(this);
    }
  }

  /** @internal */
  emit(ev: RpcEvent): void {
    try { this.onEvent?.(ev); } catch { /* observers never break requests */ }
  }

  /** One JSON-RPC call, retrying transient failures; resolves with the raw, envelope-checked `result`. */
  async request<T = unknown>(method: string, params: unknown[] = [], options: CallOptions = {}): Promise<T> {
    return this.call(method, params, options) as Promise<T>;
  }

  /**
   * request() plus `validate(result)` inside the attempt loop, so validation errors carry
   * `attempts` too (they are never transient, hence never retried).
   * @internal
   */
  async call<R = unknown>(method: string, params: unknown[], options: CallOptions, validate?: (result: unknown) => R): Promise<R> {
    if (typeof method !== "string" || !Array.isArray(params)) {
      throw new RpcError(C.INVALID_ARGUMENT, "request(method: string, params: array)");
    }
    const { signal } = options;
    const retries = options.retries ?? this.retries;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw cancelled(signal);
      if (this.closed) throw new RpcError(C.CLOSED, "the client was closed", { transient: false });
      try {
        const result = await this.attempt(method, params, options);
        return validate ? validate(result) : (result as R);
      } catch (e) {
        const err = e instanceof RpcError ? e : new RpcError(C.NETWORK, messageOf(e), { cause: e });
        err.method ??= method;
        err.attempts = attempt + 1;
        if (!err.transient || attempt >= retries || this.closed) throw err;
        let delayMs = backoffDelay(attempt, this.backoff, this.random);
        if (err.retryAfterMs !== undefined) delayMs = Math.max(delayMs, Math.min(err.retryAfterMs, this.backoff.maxMs));
        this.emit({ type: "retry", method, attempt: attempt + 1, delayMs, error: err });
        await sleep(delayMs, signal);
      }
    }
  }

  /** @internal */
  attempt(method: string, params: unknown[], options: CallOptions): Promise<unknown> {
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const call = { id: this.nextId++, method, params, done: false } as Call;
      const onAbort = () => call.reject(cancelled(signal));
      const finish = <V>(fn: (v: V) => void, v: V) => {
        if (call.done) return;
        call.done = true;
        clearTimeout(call.timer);
        signal?.removeEventListener("abort", onAbort);
        this.t.detach(call);
        fn(v);
      };
      call.resolve = (v) => finish(resolve, v);
      call.reject = (e) => finish(reject, e);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        call.timer = setTimeout(() => call.reject(new RpcError(C.TIMEOUT, `${method}: no response within ${timeoutMs} ms`, { method })), timeoutMs);
      }
      this.t.enqueue(call);
    });
  }

  /** A call whose result must be bytes: accepts a hex string or a JSON array of byte numbers (old custom RPCs); returns hex. */
  async requestBytes(method: string, params: unknown[] = [], options: CallOptions = {}): Promise<Hex> {
    return this.call(method, params, options, (r) => {
      if (!Array.isArray(r)) return expectHex(r, `${method} result`);
      try {
        return bytesToHex(r);
      } catch (e) {
        throw new RpcError(C.BAD_HEX, `${method}: ${(e as Error).message.replace(/^RPC_BAD_HEX: /, "")}`);
      }
    });
  }

  /** chain_getBlockHash: the hash of block `number` (latest when omitted), or null when the node has no such block. */
  async getBlockHash(number?: number | null, options: CallOptions = {}): Promise<Hex | null> {
    const params = [];
    if (number !== undefined && number !== null) {
      if (!Number.isSafeInteger(number) || number < 0 || number > 0xffffffff) throw new RpcError(C.INVALID_ARGUMENT, "block number must be an integer in 0..2^32-1");
      params.push(number);
    }
    return this.call("chain_getBlockHash", params, options, (r) => (r === null ? null : expectHex(r, "chain_getBlockHash result", 32)));
  }

  /** chain_getHeader: the header of block `hash` (latest when omitted), or null when unknown. */
  async getHeader(hash?: Hex | null, options: CallOptions = {}): Promise<Header | null> {
    const at = argAt(hash);
    return this.call("chain_getHeader", at === null ? [] : [at], options, (r) => (r === null ? null : validateHeader(r)));
  }

  /** state_getRuntimeVersion at block `at` (latest when omitted). */
  async getRuntimeVersion(at?: Hex | null, options: CallOptions = {}): Promise<RuntimeVersion> {
    const h = argAt(at);
    return this.call("state_getRuntimeVersion", h === null ? [] : [h], options, validateRuntimeVersion);
  }

  /** state_call: run runtime API `method` (e.g. "NeuronInfoRuntimeApi_get_neurons_lite") with SCALE `dataHex`; returns the SCALE result hex. */
  async stateCall(method: string, dataHex: Hex, at?: Hex | null, options: CallOptions = {}): Promise<Hex> {
    if (typeof method !== "string" || method === "") throw new RpcError(C.INVALID_ARGUMENT, "runtime API method must be a non-empty string");
    const params = [method, argHex(dataHex, "state_call data")];
    const h = argAt(at);
    if (h !== null) params.push(h);
    return this.call("state_call", params, options, (r) => expectHex(r, `state_call ${method} result`));
  }

  /** state_getStorage: the raw value hex at `key`, or null when the key is absent. */
  async getStorage(key: Hex, at?: Hex | null, options: CallOptions = {}): Promise<Hex | null> {
    const params = [argHex(key, "storage key")];
    const h = argAt(at);
    if (h !== null) params.push(h);
    return this.call("state_getStorage", params, options, (r) => (r === null ? null : expectHex(r, "state_getStorage result")));
  }

  /** state_queryStorageAt: values of `keys` at block `at`; returns the change sets as the node sends them. */
  async queryStorageAt(keys: Hex[], at?: Hex | null, options: CallOptions = {}): Promise<StorageChangeSet[]> {
    const ks = expectArrayArg(keys, "keys").map((k, i) => argHex(k, `keys[${i}]`));
    const params: unknown[] = [ks];
    const h = argAt(at);
    if (h !== null) params.push(h);
    return this.call("state_queryStorageAt", params, options, (r) => expectArray(r, "state_queryStorageAt result").map((set, i) => {
      const s = expectObject(set, `state_queryStorageAt result[${i}]`);
      return {
        block: expectHex(s.block, `state_queryStorageAt result[${i}].block`, 32),
        changes: expectArray(s.changes, `state_queryStorageAt result[${i}].changes`).map((ch, j): [Hex, Hex | null] => {
          if (!Array.isArray(ch) || ch.length !== 2) throw new RpcError(C.MALFORMED, `state_queryStorageAt change ${j}: expected [key, value]`);
          return [expectHex(ch[0], `change ${j} key`), ch[1] === null ? null : expectHex(ch[1], `change ${j} value`)];
        }),
      };
    }));
  }

  /**
   * Values of `keys` at `at` as a Map key -> value hex (null = absent). Every requested key must
   * be answered (RPC_MALFORMED otherwise). Keys are sent in chunks of `chunkSize` (default 256).
   */
  async getStorageValues(keys: Hex[], at?: Hex | null, options: PagedOptions = {}): Promise<Map<Hex, Hex | null>> {
    const ks = expectArrayArg(keys, "keys").map((k, i) => argHex(k, `keys[${i}]`));
    const chunkSize = options.chunkSize ?? 256;
    const out = new Map<Hex, Hex | null>();
    for (let i = 0; i < ks.length; i += chunkSize) {
      const chunk = ks.slice(i, i + chunkSize);
      const sets = await this.queryStorageAt(chunk, at, options);
      const got = new Map<Hex, Hex | null>();
      for (const s of sets) for (const [k, v] of s.changes) got.set(k, v);
      for (const k of chunk) {
        if (!got.has(k)) throw new RpcError(C.MALFORMED, `state_queryStorageAt did not answer key ${k}`);
        out.set(k, got.get(k)!);
      }
      options.onProgress?.({ phase: "values", done: Math.min(i + chunkSize, ks.length), total: ks.length });
    }
    return out;
  }

  /**
   * state_getKeysPaged: up to `count` keys under `prefix`, strictly after `startKey`, at `at`.
   * Checks that every key is hex, under the prefix, after `startKey`, ascending, and that no more
   * than `count` came back (RPC_MALFORMED / RPC_BAD_HEX otherwise).
   */
  async getKeysPaged(prefix: Hex, count: number, startKey?: Hex | null, at?: Hex | null, options: CallOptions = {}): Promise<Hex[]> {
    const p = argHex(prefix, "prefix");
    if (!Number.isInteger(count) || count < 1 || count > MAX_KEYS_PAGE) throw new RpcError(C.INVALID_ARGUMENT, `count must be an integer in 1..${MAX_KEYS_PAGE}`);
    const s = startKey === undefined || startKey === null ? null : argHex(startKey, "startKey");
    const h = argAt(at);
    const params: unknown[] = [p, count, s];
    if (h !== null) params.push(h);
    return this.call("state_getKeysPaged", params, options, (result) => {
      const r = expectArray(result, "state_getKeysPaged result");
      if (r.length > count) throw new RpcError(C.MALFORMED, `state_getKeysPaged returned ${r.length} keys for count ${count}`);
      let prev = s;
      return r.map((k, i) => {
        const key = expectHex(k, `state_getKeysPaged key ${i}`);
        if (!key.startsWith(p)) throw new RpcError(C.MALFORMED, `state_getKeysPaged key ${key} is not under prefix ${p}`);
        if (prev !== null && !(key > prev)) throw new RpcError(C.MALFORMED, `state_getKeysPaged keys are not strictly ascending after the start key (${key})`);
        prev = key;
        return key;
      });
    });
  }

  /**
   * Async iterator over every key under `prefix`, one getKeysPaged call per page of `pageSize`
   * (default 1000). Options: { at, pageSize, startKey, maxKeys, signal, timeoutMs, retries,
   * onProgress({ phase: "keys", page, pageKeys, total, lastKey, done }) }. Pass a fixed block hash
   * as `at`: with none, pages may come from different blocks.
   */
  async *iterateKeys(prefix: Hex, options: PagedOptions = {}): AsyncGenerator<Hex, void, undefined> {
    const p = argHex(prefix, "prefix");
    const pageSize = options.pageSize ?? MAX_KEYS_PAGE;
    const maxKeys = options.maxKeys ?? Infinity;
    if (!(maxKeys >= 0)) throw new RpcError(C.INVALID_ARGUMENT, "maxKeys must be >= 0");
    let start: Hex = options.startKey ?? p;
    let total = 0;
    let page = 0;
    while (total < maxKeys) {
      const count = Math.min(pageSize, maxKeys - total);
      const keys = await this.getKeysPaged(p, count, start, options.at, options);
      page += 1;
      total += keys.length;
      const done = keys.length < count || total >= maxKeys;
      options.onProgress?.({ phase: "keys", page, pageKeys: keys.length, total, lastKey: keys.at(-1) ?? null, done });
      for (const k of keys) yield k;
      if (keys.length < count) return;
      start = keys[keys.length - 1]!;
    }
  }

  /** Every key under `prefix` (see iterateKeys for the options). */
  async getAllKeys(prefix: Hex, options: PagedOptions = {}): Promise<Hex[]> {
    const out: Hex[] = [];
    for await (const k of this.iterateKeys(prefix, options)) out.push(k);
    return out;
  }

  /**
   * Every (key, value) of a storage map under `prefix` at block `options.at`: pages through the
   * keys, then reads the values with state_queryStorageAt in chunks. Progress is reported for both
   * phases through `onProgress`.
   */
  async getStorageEntries(prefix: Hex, options: PagedOptions = {}): Promise<{ key: Hex; value: Hex | null }[]> {
    const keys = await this.getAllKeys(prefix, options);
    const values = await this.getStorageValues(keys, options.at, options);
    return keys.map((key) => ({ key, value: values.get(key)! }));
  }

  /** Stop: pending and later requests fail with RPC_CLOSED (not retried); a WebSocket is closed. */
  close(): void {
    this.closed = true;
    this.t.close();
  }
}

function expectArrayArg(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new RpcError(C.INVALID_ARGUMENT, `${what} must be an array`);
  return v;
}
