// The embedding docs (www/embed/index.html): every demo element live, with copy-paste snippets of
// the element and of its iframe URL, its attributes, properties and events, all from the specs
// (../elements/*.js) that also make the elements and custom-elements.json. Snippets are text
// (textContent), never parsed as HTML.
import { ELEMENTS } from "../elements/index.js";
import { defineElement } from "../lib/embed/element.js";
import { el } from "../lib/dom.js";

const attrText = (attrs) => Object.entries(attrs).map(([k, v]) => ` ${k}="${v}"`).join("");

/** The element snippet: `<tao-x a="1"></tao-x>`. */
export const elementSnippet = (spec, attrs = spec.example) => `<${spec.tag}${attrText(attrs)}></${spec.tag}>`;

/** The iframe snippet for a site at `base` (the folder that holds embed/). */
export function iframeSnippet(spec, base, attrs = spec.example) {
  const q = new URLSearchParams(attrs);
  return `<iframe data-tao-embed src="${new URL(`embed/${spec.demo}.html?${q}`, base)}"\n` +
    `        style="width:100%;border:0" title="${spec.title}"></iframe>\n` +
    `<script src="${new URL("embed/resizer.js", base)}"></script>`;
}

// The module script of the built embed.html is the one tag to copy (its name carries a hash).
async function scriptTag(base) {
  try {
    const html = await (await fetch(new URL("embed.html", base))).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const src = doc.querySelector('script[type="module"][src]')?.getAttribute("src");
    if (src) return `<script type="module" src="${new URL(src, base)}"></script>`;
  } catch { /* shown below as the generic form */ }
  return `<script type="module" src="${base}assets/embed-….js"></script>`;
}

function list(items) {
  return el("ul", {}, items.map(([name, text]) => el("li", {}, el("code", {}, name), ` — ${text}`)));
}

function section(spec, base) {
  const live = document.createElement(spec.tag);
  for (const [k, v] of Object.entries(spec.example)) live.setAttribute(k, v);
  live.className = "live";
  live.dataset.docs = spec.demo;
  const log = el("p", { class: "log", "aria-live": "polite", dataset: { log: spec.demo } }, "Waiting for its first event…");
  const primary = spec.events.find((e) => e.primary).name;
  live.addEventListener(primary, () => { log.textContent = `Heard \`${primary}\` at ${new Date().toLocaleTimeString("en-GB")}.`; });
  return el("section", { id: spec.demo, class: "demo" },
    el("h2", {}, el("code", {}, `<${spec.tag}>`), ` ${spec.title}`),
    el("p", {}, spec.summary, " Full page: ", el("a", { href: `../${spec.page}` }, spec.page), "."),
    el("h3", {}, "Element"), el("pre", { dataset: { snippet: `${spec.demo}-element` } }, elementSnippet(spec)),
    el("h3", {}, "Iframe"), el("pre", { dataset: { snippet: `${spec.demo}-iframe` } }, iframeSnippet(spec, base)),
    el("details", {}, el("summary", {}, "Attributes, properties, events"),
      el("h4", {}, "Attributes"), list(spec.attributes.map((a) => [a.name, `${a.description}${a.default ? ` Default: ${a.default}.` : ""}`])),
      el("h4", {}, "Properties"), list(spec.properties.map((p) => [p.name, `${p.type}${p.readonly ? " (read-only)" : ""}: ${p.description}`])),
      el("h4", {}, "Events"), list(spec.events.map((e) => [e.name, e.description]))),
    el("h3", {}, "Live"), live, log);
}

async function main() {
  const base = new URL("../", location.href).href;
  const tag = await scriptTag(base);
  /** @type {HTMLElement} */ (document.querySelector("[data-snippet=script]")).textContent = tag;
  const toc = /** @type {HTMLElement} */ (document.getElementById("toc"));
  const demos = /** @type {HTMLElement} */ (document.getElementById("demos"));
  for (const spec of ELEMENTS) {
    toc.append(el("li", {}, el("a", { href: `#${spec.demo}` }, `<${spec.tag}>`), ` ${spec.title}`));
    demos.append(section(spec, base));
  }
  await Promise.all(ELEMENTS.map((s) => defineElement(s)));
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  console.error(err);
  document.body.append(el("p", { role: "alert" }, String(err?.message ?? err)));
});
