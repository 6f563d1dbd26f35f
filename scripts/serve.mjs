// Build www/ with Vite and serve the result on 127.0.0.1 (vite preview, through Vite's JS API so
// the process that prints the URL is the one to stop). Usage: node scripts/serve.mjs [--port N]
import { buildApp, startPreview } from "./vite-app.mjs";

const i = process.argv.indexOf("--port");
const port = Number(i > 0 ? process.argv[i + 1] : process.env.PORT || 5173);
await buildApp();
const server = await startPreview(port);
console.log(`tao-engine app: ${server.url}`);
const stop = async () => { await server.close(); process.exit(0); };
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
