// custom-elements.json cannot drift from the element specs: it must be exactly what
// scripts/custom-elements-manifest.mjs writes from www/src/elements/*.js, every spec must have its
// iframe page (www/embed/<demo>.html, which vite builds) and its app page, and the manifest must be
// well formed for schema 2.x. (tests/e2e/embed.test.mjs checks the same manifest against the
// elements the browser defines: their observedAttributes and the events they send.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { MANIFEST, manifestText } from "../../scripts/custom-elements-manifest.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { ELEMENTS } = await import(path.join(root, "www/src/elements/index.js"));

test("custom-elements.json is what the specs say (run scripts/custom-elements-manifest.mjs after editing one)", async () => {
  assert.equal(readFileSync(MANIFEST, "utf8"), await manifestText());
});

test("the manifest is a schema 2.x manifest with one definition per element", () => {
  const m = JSON.parse(readFileSync(MANIFEST, "utf8"));
  assert.match(m.schemaVersion, /^2\.\d+\.\d+$/);
  const decls = m.modules.flatMap((mod) => mod.declarations.map((d) => ({ ...d, module: mod.path })));
  const defs = m.modules.flatMap((mod) => mod.exports.filter((e) => e.kind === "custom-element-definition"));
  assert.deepEqual(defs.map((d) => d.name).sort(), ELEMENTS.map((s) => s.tag).sort());
  for (const def of defs) {
    const d = decls.find((x) => x.name === def.declaration.name && x.module === def.declaration.module);
    assert.ok(d?.customElement && d.tagName === def.name, `${def.name} points at its declaration`);
    assert.ok(existsSync(path.join(root, "www", d.module)), `${d.module} exists`);
    for (const a of d.attributes) assert.ok(a.name && a.type?.text && a.description, `${def.name} attribute ${a.name}`);
    for (const e of d.events) assert.ok(e.name && e.description, `${def.name} event ${e.name}`);
    assert.ok(d.cssProperties.some((p) => p.name === "--tao-accent"));
  }
});

test("every element has its iframe page and its app page; tags and demos are unique", () => {
  const vite = readFileSync(path.join(root, "www/vite.config.js"), "utf8");
  assert.match(vite, /readdirSync\(resolve\(import\.meta\.dirname, "embed"\)\)/, "vite builds every www/embed/*.html");
  for (const s of ELEMENTS) {
    const frame = readFileSync(path.join(root, `www/embed/${s.demo}.html`), "utf8");
    assert.match(frame, new RegExp(`<body data-demo="${s.demo}">`));
    assert.match(frame, /src="\.\.\/src\/entries\/embed-frame\.js"/);
    assert.ok(existsSync(path.join(root, "www", s.page)), s.page);
    assert.match(s.tag, /^tao-[a-z-]+$/);
    assert.equal(s.events.filter((e) => e.primary).length, 1, `${s.tag}: one primary event`);
  }
  assert.equal(new Set(ELEMENTS.map((s) => s.tag)).size, ELEMENTS.length);
  assert.equal(new Set(ELEMENTS.map((s) => s.demo)).size, ELEMENTS.length);
});
