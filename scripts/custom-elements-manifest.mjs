#!/usr/bin/env node
// Write the Custom Elements Manifest (schema 2.1.0) of the demo elements from their specs
// (www/src/elements/*.js: the same data the browser builds the element classes from) to
// www/public/custom-elements.json, which the build copies to dist/custom-elements.json and
// www/package.json names in "customElements".
//
//   node scripts/custom-elements-manifest.mjs          # (re)write it
//   node scripts/custom-elements-manifest.mjs --check  # exit 1 if the file is not what the specs say
//
// tests/e2e/embed-manifest.test.mjs runs the check, and the embed e2e test compares the manifest
// with the elements the browser defines (observedAttributes, the events they dispatch).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const MANIFEST = path.join(root, "www/public/custom-elements.json");

// The theme properties every demo element reads (www/src/lib/embed/theme.css; the playground
// element's own element.css reads the same names, bar --tao-card and --tao-field).
const CSS_PROPERTIES = [
  ["--tao-accent", "#58c4a7", "Accent: links, primary buttons, highlights."],
  ["--tao-bg", "#0f1115", "Background of the element."],
  ["--tao-card", "#171a21", "Background of the cards inside (default: --tao-bg)."],
  ["--tao-field", "#0b0d11", "Background of inputs and buttons (default: --tao-bg)."],
  ["--tao-fg", "#e7e9ee", "Text colour."],
  ["--tao-muted", "#9aa3b2", "Secondary text and chart axes."],
  ["--tao-border", "#262b36", "Borders, table rules and chart grid."],
  ["--tao-good", "#98c379", "A result that holds (a match, a passed check)."],
  ["--tao-bad", "#e06c75", "A result that does not, and errors."],
  ["--tao-font", "system-ui", "Font family."],
];

const className = (tag) => tag.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("");

function declaration(spec, eventsOf) {
  const own = !spec.element;
  return {
    kind: "class",
    customElement: true,
    name: className(spec.tag),
    tagName: spec.tag,
    summary: spec.title,
    description: `${spec.summary} The same demo as ${spec.page}; iframe: embed/${spec.demo}.html?<attributes>.`,
    ...(own ? { superclass: { name: "TaoDemoElement", module: "src/lib/embed/element.js" } } : { superclass: { name: "HTMLElement", package: "global:" } }),
    attributes: spec.attributes.map((a) => ({
      name: a.name, type: { text: a.type }, ...(a.default !== "" ? { default: JSON.stringify(a.default) } : {}), description: a.description,
    })),
    members: spec.properties.map((p) => ({
      kind: "field", name: p.name, type: { text: p.type }, description: p.description, ...(p.readonly ? { readonly: true } : {}),
    })).concat(own ? [{ kind: "field", name: "state", type: { text: "Record<string, string>" }, readonly: true, description: "The demo's current state as attribute values." }] : []),
    events: eventsOf(spec).map((e) => ({ name: e.name, type: { text: "CustomEvent" }, description: e.description })),
    cssProperties: CSS_PROPERTIES.filter(([n]) => own || !["--tao-card", "--tao-field"].includes(n))
      .map(([name, def, description]) => ({ name, default: def, description })),
    ...(own ? { cssParts: [{ name: "root", description: "The demo's container inside the shadow root." }] } : {}),
  };
}

/** The manifest object for the specs (www/src/elements/index.js). */
export async function buildManifest() {
  const { ELEMENTS, eventsOf } = await import(path.join(root, "www/src/elements/index.js"));
  return {
    schemaVersion: "2.1.0",
    readme: "README.md",
    modules: [
      ...ELEMENTS.map((spec) => ({
        kind: "javascript-module",
        path: `src/elements/${path.basename(specFile(spec))}`,
        declarations: [declaration(spec, eventsOf)],
        exports: [{ kind: "js", name: "default", declaration: { name: className(spec.tag) } }],
      })),
      {
        kind: "javascript-module",
        path: "src/elements/define.js",
        declarations: [],
        exports: ELEMENTS.map((spec) => ({
          kind: "custom-element-definition", name: spec.tag,
          declaration: { name: className(spec.tag), module: `src/elements/${path.basename(specFile(spec))}` },
        })),
      },
    ],
  };
}

// A spec's file is named after its demo (www/src/elements/<demo>.js).
const specFile = (spec) => `${spec.demo}.js`;

export const manifestText = async () => `${JSON.stringify(await buildManifest(), null, 2)}\n`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await manifestText();
  if (process.argv.includes("--check")) {
    let now = "";
    try { now = readFileSync(MANIFEST, "utf8"); } catch { /* missing: differs */ }
    if (now !== text) {
      console.error(`${path.relative(root, MANIFEST)} is out of date: run node scripts/custom-elements-manifest.mjs`);
      process.exit(1);
    }
    console.log(`${path.relative(root, MANIFEST)} is up to date`);
  } else {
    writeFileSync(MANIFEST, text);
    console.log(`wrote ${path.relative(root, MANIFEST)}`);
  }
}
