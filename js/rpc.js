// JSON-RPC 2.0 client for a Subtensor (Bittensor) node: HTTP(S) through fetch, WebSocket through
// the platform's WebSocket (browsers, Node >= 22, Node 20 with --experimental-websocket) or an
// injected implementation. Plain ESM, no dependencies, no Node built-ins: the same file runs in the
// browser and in Node.
//
// Every failure is an `RpcError` with a stable `code` (see ERROR_CODES). Transient failures
// (timeouts, connection errors, HTTP 5xx/408/429, a dropped socket) are retried with exponential
// backoff and jitter; everything else (a JSON-RPC error from the node, a malformed or mismatched
// response, bad hex) is thrown at once.

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
});
const C = ERROR_CODES;

/** Substrate's upper bound for the `count` of state_getKeysPaged. */
export const MAX_KEYS_PAGE = 1000;

/** An RPC failure. `code` is stable; `transient` says whether a retry may succeed. */
export class RpcError extends Error {
  constructor(code, message, details = {}) {
    const { cause, ...rest } = details;
    super(`${code}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = "RpcError";
    this.code = code;
    Object.assign(this, rest);
    if (this.transient === undefined) this.transient = isTransientCode(code, rest.status);
  }
}

function isTransientCode(code, status) {
  if (code === C.TIMEOUT || code === C.NETWORK || code === C.CLOSED) return true;
  if (code === C.HTTP) return status >= 500 || status === 408 || status === 429;
  return false;
}

/** Whether `err` is a transient failure the client would retry. */
export function isTransient(err) {
  return err instanceof RpcError && err.transient === true;
}

function cancelled(signal) {
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
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Default backoff: 250 ms doubling up to 10 s, +-20 % jitter. */
export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 250, factor: 2, maxMs: 10_000, jitter: 0.2 });

/**
 * Delay in ms before retry number `retry` (0 = the first retry):
 * min(maxMs, baseMs * factor^retry), scaled by a factor in [1 - jitter, 1 + jitter] drawn from
 * `random`, then clamped to [0, maxMs].
 */
export function backoffDelay(retry, backoff = DEFAULT_BACKOFF, random = Math.random) {
  const { baseMs, factor, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...backoff };
  const nominal = Math.min(maxMs, baseMs * factor ** retry);
  const scaled = nominal * (1 + jitter * (2 * random() - 1));
  return Math.max(0, Math.min(maxMs, Math.round(scaled)));
}

function sleep(ms, signal) {
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

function describe(v) {
  if (typeof v === "string") return v.length > 40 ? `"${v.slice(0, 40)}..." (${v.length} chars)` : `"${v}"`;
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

/**
 * Check that `value` is `0x`-prefixed hex of whole bytes (of exactly `bytes` bytes when given) and
 * return it in lower case; otherwise throw RPC_BAD_HEX naming `what`.
 */
export function expectHex(value, what, bytes) {
  if (typeof value !== "string" || !value.startsWith("0x") || !HEX_BODY.test(value.slice(2))) {
    throw new RpcError(C.BAD_HEX, `${what}: expected 0x-prefixed hex, got ${describe(value)}`);
  }
  if (value.length % 2 !== 0) {
    throw new RpcError(C.BAD_HEX, `${what}: odd number of hex digits (${value.length - 2}), truncated?`);
  }
  if (bytes !== undefined && value.length !== 2 + 2 * bytes) {
    throw new RpcError(C.BAD_HEX, `${what}: expected ${bytes} bytes, got ${(value.length - 2) / 2}`);
  }
  return value.toLowerCase();
}

function expectQuantity(value, what, max = 0xffffffff) {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]+$/.test(value)) {
    throw new RpcError(C.BAD_HEX, `${what}: expected a hex quantity, got ${describe(value)}`);
  }
  const n = Number.parseInt(value.slice(2), 16);
  if (!(n <= max)) throw new RpcError(C.MALFORMED, `${what}: ${value} is out of range`);
  return n;
}

function expectObject(value, what) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RpcError(C.MALFORMED, `${what}: expected an object, got ${describe(value)}`);
  }
  return value;
}

function expectArray(value, what) {
  if (!Array.isArray(value)) throw new RpcError(C.MALFORMED, `${what}: expected an array, got ${describe(value)}`);
  return value;
}

function expectU32(value, what) {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RpcError(C.MALFORMED, `${what}: expected a u32, got ${describe(value)}`);
  }
  return value;
}

function expectString(value, what) {
  if (typeof value !== "string") throw new RpcError(C.MALFORMED, `${what}: expected a string, got ${describe(value)}`);
  return value;
}

/** `0x...` hex (whole bytes) to a Uint8Array. Throws RPC_BAD_HEX on anything else. */
export function hexToBytes(hex) {
  const h = expectHex(hex, "hex");
  const out = new Uint8Array((h.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Bytes (Uint8Array or an array of integers 0..255) to lower-case `0x...` hex. */
export function bytesToHex(bytes) {
  let s = "0x";
  for (const b of bytes) {
    if (!Number.isInteger(b) || b < 0 || b > 255) throw new RpcError(C.BAD_HEX, `byte ${describe(b)} is not in 0..255`);
    s += b.toString(16).padStart(2, "0");
  }
  return s;
}

function argHex(value, what, bytes) {
  try {
    return expectHex(value, what, bytes);
  } catch (e) {
    throw new RpcError(C.INVALID_ARGUMENT, e.message.replace(/^RPC_BAD_HEX: /, ""));
  }
}

function argAt(at) {
  return at === undefined || at === null ? null : argHex(at, "at (block hash)", 32);
}

// SCALE Compact<u32> as hex digits (no 0x).
function compactHex(n) {
  const le = (v, len) => {
    let s = "";
    for (let i = 0; i < len; i++) s += ((v / 2 ** (8 * i)) & 0xff).toString(16).padStart(2, "0");
    return s;
  };
  if (n < 1 << 6) return le(n * 4, 1);
  if (n < 1 << 14) return le(n * 4 + 1, 2);
  if (n < 2 ** 30) return le(n * 4 + 2, 4);
  return "03" + le(n, 4);
}

/** Check a chain_getHeader result; returns the same header with hex fields in lower case. */
export function validateHeader(value) {
  const h = expectObject(value, "header");
  const digest = expectObject(h.digest, "header.digest");
  return {
    ...h,
    parentHash: expectHex(h.parentHash, "header.parentHash", 32),
    number: (expectQuantity(h.number, "header.number"), h.number.toLowerCase()),
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
export function encodeHeader(header) {
  const h = validateHeader(header);
  const logs = h.digest.logs;
  return "0x" + h.parentHash.slice(2) + compactHex(Number.parseInt(h.number.slice(2), 16)) + h.stateRoot.slice(2) +
    h.extrinsicsRoot.slice(2) + compactHex(logs.length) + logs.map((l) => l.slice(2)).join("");
}

/** Check a state_getRuntimeVersion result. */
export function validateRuntimeVersion(value) {
  const v = expectObject(value, "runtimeVersion");
  expectString(v.specName, "runtimeVersion.specName");
  expectString(v.implName, "runtimeVersion.implName");
  for (const k of ["authoringVersion", "specVersion", "implVersion", "transactionVersion"]) expectU32(v[k], `runtimeVersion.${k}`);
  for (const k of ["stateVersion", "systemVersion"]) if (v[k] !== undefined) expectU32(v[k], `runtimeVersion.${k}`);
  const apis = expectArray(v.apis, "runtimeVersion.apis").map((a, i) => {
    if (!Array.isArray(a) || a.length !== 2) throw new RpcError(C.MALFORMED, `runtimeVersion.apis[${i}]: expected [id, version]`);
    return [expectHex(a[0], `runtimeVersion.apis[${i}] id`, 8), expectU32(a[1], `runtimeVersion.apis[${i}] version`)];
  });
  return { ...v, apis };
}

// ---------------------------------------------------------------------------------------------
// Transports

function envelope(call) {
  return { jsonrpc: "2.0", id: call.id, method: call.method, params: call.params };
}

function rpcErrorFrom(call, error) {
  if (error === null || typeof error !== "object" || !Number.isInteger(error.code) || typeof error.message !== "string") {
    return new RpcError(C.MALFORMED, `${call?.method ?? "batch"}: invalid JSON-RPC error object`);
  }
  return new RpcError(C.ERROR, `${call?.method ?? "batch"}: node error ${error.code}: ${error.message}`, {
    method: call?.method, rpcCode: error.code, rpcMessage: error.message, rpcData: error.data,
  });
}

// Settle `call` from a response object whose id already matched.
function settle(call, msg) {
  if (msg.jsonrpc !== "2.0") return call.reject(new RpcError(C.MALFORMED, `${call.method}: response is not JSON-RPC 2.0`));
  const hasError = Object.hasOwn(msg, "error");
  const hasResult = Object.hasOwn(msg, "result");
  if (hasError === hasResult) return call.reject(new RpcError(C.MALFORMED, `${call.method}: response needs exactly one of result and error`));
  if (hasError) return call.reject(rpcErrorFrom(call, msg.error));
  call.resolve(msg.result);
}

function isObj(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

class HttpTransport {
  constructor(client) {
    this.client = client;
    this.queue = [];
    this.scheduled = false;
    this.inflight = new Set();
  }

  enqueue(call) {
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

  flush() {
    this.scheduled = false;
    const calls = this.queue.splice(0).filter((c) => !c.done);
    const max = this.client.batch.maxSize;
    for (let i = 0; i < calls.length; i += max) {
      const chunk = calls.slice(i, i + max);
      this.send(chunk, chunk.length > 1);
    }
  }

  detach(call) {
    const q = this.queue.indexOf(call);
    if (q >= 0) this.queue.splice(q, 1);
    const req = call.req;
    if (req) {
      call.req = undefined;
      req.live.delete(call);
      if (req.live.size === 0 && !req.finished) req.ctrl.abort();
    }
  }

  async send(calls, asBatch) {
    const ctrl = new AbortController();
    const req = { live: new Set(calls), ctrl, finished: false };
    for (const c of calls) c.req = req;
    const failAll = (err) => {
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

  async exchange(calls, asBatch, req, ctrl, failAll) {
    const client = this.client;
    const body = JSON.stringify(asBatch ? calls.map(envelope) : envelope(calls[0]));
    client.emit({ type: "http-request", calls: calls.length, batch: asBatch });
    let res;
    try {
      res = await client.fetch(client.endpoint, {
        method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...client.headers }, body, signal: ctrl.signal,
      });
    } catch (e) {
      if (!ctrl.signal.aborted) failAll(new RpcError(C.NETWORK, `connection to the node failed: ${e?.cause?.message ?? e?.message ?? e}`, { cause: e }));
      return;
    }
    if (!res.ok) {
      const ra = res.headers.get("retry-after");
      const retryAfterMs = ra !== null && /^\d+$/.test(ra.trim()) ? Number(ra) * 1000 : undefined;
      try { await res.body?.cancel(); } catch { /* ignore */ }
      if (!ctrl.signal.aborted) failAll(new RpcError(C.HTTP, `HTTP ${res.status} ${res.statusText ?? ""}`.trim(), { status: res.status, retryAfterMs }));
      return;
    }
    let text;
    try {
      text = await res.text();
    } catch (e) {
      if (!ctrl.signal.aborted) failAll(new RpcError(C.CLOSED, `the connection dropped mid-response: ${e?.cause?.message ?? e?.message ?? e}`, { cause: e }));
      return;
    }
    if (ctrl.signal.aborted) return;
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return failAll(new RpcError(C.MALFORMED, `the response is not JSON (${text.length} chars)`, { cause: e }));
    }
    req.finished = true;
    if (!asBatch) {
      const call = calls[0];
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
    const byId = new Map(calls.map((c) => [c.id, c]));
    const seen = new Map();
    for (const m of msg) {
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

  close() {
    const err = new RpcError(C.CLOSED, "the client was closed", { transient: false });
    for (const c of this.queue.splice(0)) c.reject(err);
    for (const req of [...this.inflight]) for (const c of [...req.live]) c.reject(err);
  }
}

const WS_OPEN = 1;
const IGNORED_IDS_KEPT = 4096;

class WsTransport {
  constructor(client) {
    this.client = client;
    this.ws = null;
    this.opening = null;
    this.pending = new Map();
    this.ignored = new Set();
    this.closed = false;
  }

  enqueue(call) {
    this.open().then((ws) => {
      if (call.done) return;
      this.pending.set(call.id, call);
      call.ws = ws;
      try {
        ws.send(JSON.stringify(envelope(call)));
      } catch (e) {
        call.reject(new RpcError(C.CLOSED, `send failed: ${e?.message ?? e}`, { cause: e }));
      }
    }, (err) => call.reject(err));
  }

  detach(call) {
    if (this.pending.get(call.id) === call) {
      this.pending.delete(call.id);
      this.ignore(call.id);
    }
  }

  ignore(id) {
    this.ignored.add(id);
    if (this.ignored.size > IGNORED_IDS_KEPT) this.ignored.delete(this.ignored.values().next().value);
  }

  open() {
    if (this.closed) return Promise.reject(new RpcError(C.CLOSED, "the client was closed", { transient: false }));
    if (this.ws && this.ws.readyState === WS_OPEN) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    const client = this.client;
    const Impl = client.WebSocket;
    this.opening = new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new Impl(client.endpoint);
      } catch (e) {
        this.opening = null;
        return reject(new RpcError(C.NETWORK, `cannot open a WebSocket: ${e?.message ?? e}`, { cause: e }));
      }
      let opened = false;
      const timer = client.timeoutMs > 0 && Number.isFinite(client.timeoutMs)
        ? setTimeout(() => {
          if (opened) return;
          this.opening = null;
          reject(new RpcError(C.TIMEOUT, `WebSocket connect timed out after ${client.timeoutMs} ms`));
          try { ws.close(); } catch { /* ignore */ }
        }, client.timeoutMs)
        : null;
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
      ws.addEventListener("message", (ev) => this.onMessage(ws, ev.data));
      ws.addEventListener("close", (ev) => {
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

  onClose(ws, code) {
    if (this.ws === ws) this.ws = null;
    this.client.emit({ type: "close", code });
    const err = this.closed
      ? new RpcError(C.CLOSED, "the client was closed", { transient: false })
      : new RpcError(C.CLOSED, `the WebSocket dropped (close code ${code}) with the request pending`);
    for (const call of [...this.pending.values()]) if (call.ws === ws) call.reject(err);
  }

  failSocket(ws, err) {
    for (const call of [...this.pending.values()]) if (call.ws === ws) call.reject(err);
  }

  onMessage(ws, data) {
    if (typeof data !== "string") {
      if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) data = new TextDecoder().decode(data);
      else if (typeof data?.text === "function") return void data.text().then((t) => this.onMessage(ws, t));
      else return this.failSocket(ws, new RpcError(C.MALFORMED, "unreadable WebSocket message"));
    }
    let msg;
    try {
      msg = JSON.parse(data);
    } catch (e) {
      return this.failSocket(ws, new RpcError(C.MALFORMED, `a WebSocket message is not JSON (${data.length} chars)`, { cause: e }));
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

  close() {
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

/** Create a client; see `RpcClient`. */
export function createRpcClient(options) {
  return new RpcClient(options);
}

export class RpcClient {
  constructor(options = {}) {
    const { endpoint } = options;
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
      this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
      if (typeof this.WebSocket !== "function") {
        throw new RpcError(C.CONFIG, "no WebSocket available (Node 20 needs --experimental-websocket): pass options.WebSocket");
      }
      this.t = new WsTransport(this);
    }
  }

  emit(ev) {
    try { this.onEvent?.(ev); } catch { /* observers never break requests */ }
  }

  /**
   * Send one JSON-RPC call, retrying transient failures. Resolves with the raw `result`.
   * `options`: { signal, timeoutMs, retries }.
   */
  async request(method, params = [], options = {}) {
    return this.call(method, params, options);
  }

  // request() plus `validate(result)` inside the attempt loop, so validation errors carry
  // `attempts` too (they are never transient, hence never retried).
  async call(method, params, options, validate) {
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
        return validate ? validate(result) : result;
      } catch (e) {
        const err = e instanceof RpcError ? e : new RpcError(C.NETWORK, String(e?.message ?? e), { cause: e });
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

  attempt(method, params, options) {
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const call = { id: this.nextId++, method, params, done: false };
      const onAbort = () => call.reject(cancelled(signal));
      const finish = (fn, v) => {
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
  async requestBytes(method, params = [], options = {}) {
    return this.call(method, params, options, (r) => {
      if (!Array.isArray(r)) return expectHex(r, `${method} result`);
      try {
        return bytesToHex(r);
      } catch (e) {
        throw new RpcError(C.BAD_HEX, `${method}: ${e.message.replace(/^RPC_BAD_HEX: /, "")}`);
      }
    });
  }

  /** chain_getBlockHash: the hash of block `number` (latest when omitted), or null when the node has no such block. */
  async getBlockHash(number, options = {}) {
    const params = [];
    if (number !== undefined && number !== null) {
      if (!Number.isSafeInteger(number) || number < 0 || number > 0xffffffff) throw new RpcError(C.INVALID_ARGUMENT, "block number must be an integer in 0..2^32-1");
      params.push(number);
    }
    return this.call("chain_getBlockHash", params, options, (r) => (r === null ? null : expectHex(r, "chain_getBlockHash result", 32)));
  }

  /** chain_getHeader: the header of block `hash` (latest when omitted), or null when unknown. */
  async getHeader(hash, options = {}) {
    const at = argAt(hash);
    return this.call("chain_getHeader", at === null ? [] : [at], options, (r) => (r === null ? null : validateHeader(r)));
  }

  /** state_getRuntimeVersion at block `at` (latest when omitted). */
  async getRuntimeVersion(at, options = {}) {
    const h = argAt(at);
    return this.call("state_getRuntimeVersion", h === null ? [] : [h], options, validateRuntimeVersion);
  }

  /** state_call: run runtime API `method` (e.g. "NeuronInfoRuntimeApi_get_neurons_lite") with SCALE `dataHex`; returns the SCALE result hex. */
  async stateCall(method, dataHex, at, options = {}) {
    if (typeof method !== "string" || method === "") throw new RpcError(C.INVALID_ARGUMENT, "runtime API method must be a non-empty string");
    const params = [method, argHex(dataHex, "state_call data")];
    const h = argAt(at);
    if (h !== null) params.push(h);
    return this.call("state_call", params, options, (r) => expectHex(r, `state_call ${method} result`));
  }

  /** state_getStorage: the raw value hex at `key`, or null when the key is absent. */
  async getStorage(key, at, options = {}) {
    const params = [argHex(key, "storage key")];
    const h = argAt(at);
    if (h !== null) params.push(h);
    return this.call("state_getStorage", params, options, (r) => (r === null ? null : expectHex(r, "state_getStorage result")));
  }

  /** state_queryStorageAt: values of `keys` at block `at`; returns the change sets as the node sends them. */
  async queryStorageAt(keys, at, options = {}) {
    const ks = expectArrayArg(keys, "keys").map((k, i) => argHex(k, `keys[${i}]`));
    const params = [ks];
    const h = argAt(at);
    if (h !== null) params.push(h);
    return this.call("state_queryStorageAt", params, options, (r) => expectArray(r, "state_queryStorageAt result").map((set, i) => {
      const s = expectObject(set, `state_queryStorageAt result[${i}]`);
      return {
        block: expectHex(s.block, `state_queryStorageAt result[${i}].block`, 32),
        changes: expectArray(s.changes, `state_queryStorageAt result[${i}].changes`).map((ch, j) => {
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
  async getStorageValues(keys, at, options = {}) {
    const ks = expectArrayArg(keys, "keys").map((k, i) => argHex(k, `keys[${i}]`));
    const chunkSize = options.chunkSize ?? 256;
    const out = new Map();
    for (let i = 0; i < ks.length; i += chunkSize) {
      const chunk = ks.slice(i, i + chunkSize);
      const sets = await this.queryStorageAt(chunk, at, options);
      const got = new Map();
      for (const s of sets) for (const [k, v] of s.changes) got.set(k, v);
      for (const k of chunk) {
        if (!got.has(k)) throw new RpcError(C.MALFORMED, `state_queryStorageAt did not answer key ${k}`);
        out.set(k, got.get(k));
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
  async getKeysPaged(prefix, count, startKey, at, options = {}) {
    const p = argHex(prefix, "prefix");
    if (!Number.isInteger(count) || count < 1 || count > MAX_KEYS_PAGE) throw new RpcError(C.INVALID_ARGUMENT, `count must be an integer in 1..${MAX_KEYS_PAGE}`);
    const s = startKey === undefined || startKey === null ? null : argHex(startKey, "startKey");
    const h = argAt(at);
    const params = [p, count, s];
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
  async *iterateKeys(prefix, options = {}) {
    const p = argHex(prefix, "prefix");
    const pageSize = options.pageSize ?? MAX_KEYS_PAGE;
    const maxKeys = options.maxKeys ?? Infinity;
    if (!(maxKeys >= 0)) throw new RpcError(C.INVALID_ARGUMENT, "maxKeys must be >= 0");
    let start = options.startKey ?? p;
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
      start = keys[keys.length - 1];
    }
  }

  /** Every key under `prefix` (see iterateKeys for the options). */
  async getAllKeys(prefix, options = {}) {
    const out = [];
    for await (const k of this.iterateKeys(prefix, options)) out.push(k);
    return out;
  }

  /**
   * Every (key, value) of a storage map under `prefix` at block `options.at`: pages through the
   * keys, then reads the values with state_queryStorageAt in chunks. Progress is reported for both
   * phases through `onProgress`.
   */
  async getStorageEntries(prefix, options = {}) {
    const keys = await this.getAllKeys(prefix, options);
    const values = await this.getStorageValues(keys, options.at, options);
    return keys.map((key) => ({ key, value: values.get(key) }));
  }

  /** Stop: pending and later requests fail with RPC_CLOSED (not retried); a WebSocket is closed. */
  close() {
    this.closed = true;
    this.t.close();
  }
}

function expectArrayArg(v, what) {
  if (!Array.isArray(v)) throw new RpcError(C.INVALID_ARGUMENT, `${what} must be an array`);
  return v;
}
