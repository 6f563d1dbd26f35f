// Debian's Chromium, headless, driven by playwright-core: the launch flags the project uses for
// every browser test (WebGPU on SwiftShader; no background traffic to the closed network).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const FLAGS = [
  "--headless=new", "--no-sandbox", "--enable-unsafe-webgpu", "--disable-gpu-sandbox",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--no-first-run", "--disable-quic",
];

/** Launch a fresh browser with its own user-data-dir; `close()` stops it and removes the dir. */
export async function launch({ extraArgs = [], webgpu = true } = {}) {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "tao-e2e-profile-"));
  const args = FLAGS.filter((f) => webgpu || f !== "--enable-unsafe-webgpu").concat(extraArgs);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args, viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Open `url` in a new page and watch it: console errors, page errors, failed requests and any
 * request leaving 127.0.0.1 are collected in `problems`. `viewport` ({ width, height }) is set
 * before the page loads; `init` (a function or script) runs in the page before its own scripts.
 */
export async function openWatched(context, url, { viewport, init } = {}) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  if (init) await page.addInitScript(init);
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["data:", "blob:"].includes(u.protocol) && u.hostname !== "127.0.0.1") problems.push(`left 127.0.0.1: ${r.url()}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}

/**
 * Wait for each selector in turn on a page opened by `openWatched`; on a timeout, throw an error
 * that also carries what the page reported (`problems`) and the start of its text, so a failing
 * run's log says why the page never got there.
 */
export async function waitReady({ page, problems }, selectors, timeout = 30000) {
  for (const sel of selectors) {
    try {
      await page.waitForSelector(sel, { timeout });
    } catch (err) {
      const text = await page.evaluate(() => document.body?.innerText ?? "").catch((e) => `(unreadable: ${e.message})`);
      throw new Error(`${err.message.split("\n")[0]}\nproblems: ${JSON.stringify(problems)}\npage text: ${String(text).slice(0, 600)}`);
    }
  }
}
