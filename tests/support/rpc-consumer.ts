// A TypeScript consumer of "tao-engine/rpc": must type-check (strict) against js/rpc.d.ts as the
// installed package exposes it (tests/js/rpc.test.mjs runs tsc on it).
import { createRpcClient, RpcError, ERROR_CODES, backoffDelay, seededRandom, encodeHeader } from "tao-engine/rpc";
import type { Hex, Header, RuntimeVersion, RpcErrorCode, StorageChangeSet, PagedProgress, RpcEvent } from "tao-engine/rpc";

export async function main(): Promise<number> {
  const events: RpcEvent[] = [];
  const rpc = createRpcClient({
    endpoint: "ws://127.0.0.1:9944", timeoutMs: 5000, retries: 2, seed: 1,
    backoff: { baseMs: 100, maxMs: 2000 }, batch: { maxSize: 16 }, onEvent: (e) => events.push(e),
  });
  const at: Hex | null = await rpc.getBlockHash(1);
  const header: Header | null = await rpc.getHeader(at);
  const scale: Hex = header ? encodeHeader(header) : "0x";
  const version: RuntimeVersion = await rpc.getRuntimeVersion(at);
  const out: Hex = await rpc.stateCall("NeuronInfoRuntimeApi_get_neurons_lite", "0x0100", at, { signal: AbortSignal.timeout(1000) });
  const value: Hex | null = await rpc.getStorage("0x00", at);
  const sets: StorageChangeSet[] = await rpc.queryStorageAt(["0x00"], at);
  const progress: PagedProgress[] = [];
  for await (const key of rpc.iterateKeys("0x00", { at, pageSize: 100, onProgress: (p) => progress.push(p) })) {
    const k: Hex = key;
    void k;
  }
  const entries: { key: Hex; value: Hex | null }[] = await rpc.getStorageEntries("0x00", { at });
  try {
    await rpc.request<string>("system_chain");
  } catch (e) {
    if (e instanceof RpcError) {
      const code: RpcErrorCode = e.code;
      const retry: boolean = e.transient;
      void code, retry, e.rpcCode, e.status;
    }
  }
  // The platform WebSocket fits options.WebSocket.
  createRpcClient({ endpoint: "wss://node.invalid", WebSocket: globalThis.WebSocket }).close();
  // @ts-expect-error the endpoint is required: there is no default node
  createRpcClient({});
  // @ts-expect-error state_call data is hex
  await rpc.stateCall("X_y", 12);
  rpc.close();
  const codes: string = ERROR_CODES.BAD_HEX;
  return backoffDelay(1, { baseMs: 1 }, seededRandom(2)) + version.specVersion + sets.length + entries.length +
    scale.length + out.length + (value?.length ?? 0) + codes.length + events.length;
}
