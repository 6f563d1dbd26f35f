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

/** Stable error codes. */
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

/** The error codes as constants. */
export declare const ERROR_CODES: Readonly<{
  TIMEOUT: "RPC_TIMEOUT"; HTTP: "RPC_HTTP"; NETWORK: "RPC_NETWORK"; MALFORMED: "RPC_MALFORMED";
  BAD_ID: "RPC_BAD_ID"; BAD_HEX: "RPC_BAD_HEX"; ERROR: "RPC_ERROR"; CLOSED: "RPC_CLOSED";
  CANCELLED: "CANCELLED"; CONFIG: "RPC_CONFIG"; INVALID_ARGUMENT: "RPC_INVALID_ARGUMENT";
}>;

/** Substrate's upper bound for the `count` of state_getKeysPaged (1000). */
export declare const MAX_KEYS_PAGE: number;

/** A `0x`-prefixed lower-case hex string of whole bytes. */
export type Hex = `0x${string}`;

/** Every failure of the client. The message starts with the code. */
export declare class RpcError extends Error {
  constructor(code: RpcErrorCode, message: string, details?: Record<string, unknown>);
  readonly name: "RpcError";
  readonly code: RpcErrorCode;
  /** Whether a retry may succeed (the client retries these itself, up to `retries`). */
  readonly transient: boolean;
  /** The JSON-RPC method, when known. */
  method?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** RPC_HTTP: the HTTP status. */
  status?: number;
  /** RPC_HTTP: the server's Retry-After, in ms. */
  retryAfterMs?: number;
  /** RPC_ERROR: the node's error code, message and data. */
  rpcCode?: number;
  rpcMessage?: string;
  rpcData?: unknown;
}

/** Whether `err` is an RpcError the client treats as transient. */
export declare function isTransient(err: unknown): boolean;

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
export declare const DEFAULT_BACKOFF: Readonly<Required<Backoff>>;

/** Delay in ms before retry number `retry` (0-based): min(maxMs, baseMs * factor^retry) with jitter. */
export declare function backoffDelay(retry: number, backoff?: Backoff, random?: () => number): number;

/** A deterministic PRNG in [0, 1) (mulberry32). */
export declare function seededRandom(seed: number): () => number;

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

export declare class RpcClient {
  constructor(options: RpcClientOptions);
  readonly endpoint: string;
  /** "http" or "ws", from the endpoint's scheme. */
  readonly transport: "http" | "ws";
  /** One JSON-RPC call; resolves with the raw, envelope-checked `result`. */
  request<T = unknown>(method: string, params?: unknown[], options?: CallOptions): Promise<T>;
  /** A call whose result is bytes, given as hex or as a JSON array of numbers (old custom RPCs); returns hex. */
  requestBytes(method: string, params?: unknown[], options?: CallOptions): Promise<Hex>;
  /** chain_getBlockHash: hash of block `number` (latest when omitted); null when the node has no such block. */
  getBlockHash(number?: number | null, options?: CallOptions): Promise<Hex | null>;
  /** chain_getHeader at `hash` (latest when omitted); null when unknown. */
  getHeader(hash?: Hex | null, options?: CallOptions): Promise<Header | null>;
  /** state_getRuntimeVersion at `at` (latest when omitted). */
  getRuntimeVersion(at?: Hex | null, options?: CallOptions): Promise<RuntimeVersion>;
  /** state_call: a runtime API call (e.g. "SubnetInfoRuntimeApi_get_metagraph") with SCALE `dataHex`; returns SCALE hex. */
  stateCall(method: string, dataHex: Hex, at?: Hex | null, options?: CallOptions): Promise<Hex>;
  /** state_getStorage: the value at `key`, or null when absent. */
  getStorage(key: Hex, at?: Hex | null, options?: CallOptions): Promise<Hex | null>;
  /** state_queryStorageAt: values of `keys` at `at`. */
  queryStorageAt(keys: Hex[], at?: Hex | null, options?: CallOptions): Promise<StorageChangeSet[]>;
  /** Values of `keys` at `at` (queryStorageAt in chunks); every key must be answered. */
  getStorageValues(keys: Hex[], at?: Hex | null, options?: PagedOptions): Promise<Map<Hex, Hex | null>>;
  /** state_getKeysPaged: up to `count` (1..1000) keys under `prefix` after `startKey`; checked to be ascending and under the prefix. */
  getKeysPaged(prefix: Hex, count: number, startKey?: Hex | null, at?: Hex | null, options?: CallOptions): Promise<Hex[]>;
  /** Every key under `prefix`, one page at a time. */
  iterateKeys(prefix: Hex, options?: PagedOptions): AsyncGenerator<Hex, void, undefined>;
  /** Every key under `prefix`. */
  getAllKeys(prefix: Hex, options?: PagedOptions): Promise<Hex[]>;
  /** Every (key, value) of the storage map under `prefix`, in key order. */
  getStorageEntries(prefix: Hex, options?: PagedOptions): Promise<{ key: Hex; value: Hex | null }[]>;
  /** Close: pending and later calls fail with RPC_CLOSED (not retried). */
  close(): void;
}

/** Same as `new RpcClient(options)`. */
export declare function createRpcClient(options: RpcClientOptions): RpcClient;

/** Check hex of whole bytes (exactly `bytes` bytes when given); returns it in lower case, else throws RPC_BAD_HEX. */
export declare function expectHex(value: unknown, what: string, bytes?: number): Hex;
/** Hex to bytes (throws RPC_BAD_HEX). */
export declare function hexToBytes(hex: string): Uint8Array;
/** Bytes to lower-case hex. */
export declare function bytesToHex(bytes: Iterable<number>): Hex;
/** Validate a chain_getHeader result. */
export declare function validateHeader(value: unknown): Header;
/** SCALE encoding of a header (its blake2b-256 is the block hash). */
export declare function encodeHeader(header: Header): Hex;
/** Validate a state_getRuntimeVersion result. */
export declare function validateRuntimeVersion(value: unknown): RuntimeVersion;
