#!/usr/bin/env node
// The README's embed screenshots: each demo element in a plain page, at desktop (1280 px) and phone
// (390 px) width, cropped to its first screenful, into docs/embed/<demo>-desktop.png and
// <demo>-phone.png. Needs pkg/ and www's packages (scripts/build, scripts/setup --www); builds www/
// unless TAO_APP_BUILT=1.
//
//   node scripts/screenshots.mjs
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, distDir } from "./vite-app.mjs";
import { launch } from "../tests/e2e/browser.mjs";
import { serve, elementScript } from "../tests/e2e/embed-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "docs/embed");
mkdirSync(out, { recursive: true });
const { ELEMENTS } = await import(path.join(root, "www/src/elements/index.js"));

// How tall a shot may be, in CSS px (the rest of a long demo is left out: PNGs stay small).
const WIDTHS = [{ name: "desktop", width: 1280, height: 800, crop: 760 }, { name: "phone", width: 390, height: 844, crop: 1100 }];

await prepareApp();
const site = await serve(distDir);
const script = elementScript(readFileSync(path.join(distDir, "embed.html"), "utf8"));
const browser = await launch({ webgpu: false });
try {
  for (const spec of ELEMENTS) {
    const primary = spec.events.find((e) => e.primary).name;
    const attrs = Object.entries(spec.example).map(([k, v]) => ` ${k}="${v}"`).join("");
    site.setPage(`/shot/${spec.demo}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<script>window.__done = 0; document.addEventListener(${JSON.stringify(primary)}, () => { window.__done++; });</script>
<script type="module" src="${script}"></script></head>
<body style="margin:0;padding:8px;background:#0f1115"><${spec.tag} id="demo"${attrs}></${spec.tag}></body></html>`);
    for (const w of WIDTHS) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: w.width, height: w.height });
      await page.goto(`${site.url}shot/${spec.demo}.html`);
      await page.waitForFunction(() => window.__done > 0, null, { timeout: 120000 });
      await page.waitForTimeout(300); // charts draw on the next frame
      const box = await page.locator("#demo").boundingBox();
      const file = path.join(out, `${spec.demo}-${w.name}.png`);
      await page.screenshot({ path: file, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, w.crop) } });
      console.log(`${path.relative(root, file)} ${(statSync(file).size / 1024).toFixed(0)} KiB`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await site.close();
}
