// A worker_threads worker of scripts/stake-parallel.mjs: the Node twin of www/src/stake/worker.js.
// Loads the package's Node build (pkg/node, or the build named in workerData.entry) and runs the
// stake-model shards it is sent with the page's own code (www/src/lib/stake-parallel.js).
import { parentPort, workerData } from "node:worker_threads";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { handleShard } from "../www/src/lib/stake-parallel.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = workerData?.entry ?? path.join(root, "pkg/node/index.js");
const engine = await import(pathToFileURL(entry).href);
parentPort.on("message", (m) => handleShard(engine, m, (msg, transfer) => parentPort.postMessage(msg, transfer ?? [])));
parentPort.postMessage({ type: "ready" });
