// Small DOM helpers shared by the pages and the custom elements (numbers: ./format.js).
// Side-effect free (no CSS, no engine start-up), so an element can import it without touching the
// host page. Everything that reaches the DOM goes through text nodes (never innerHTML): on-chain
// text such as subnet names and identities is attacker-controlled.

/**
 * Create an element: el("p", { class: "x", dataset: { testid: "y" } }, "text", child, ...).
 * Attributes: `class`, `dataset`, `on<event>` listeners, any other attribute (null/false: left
 * out, true: present). Children: nodes, or anything else as text (null/false: left out).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attrs]
 * @param {...any} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/**
 * Which runtime's rules produced a result, in words: "rules of finney runtime 475 (live since
 * 2026-10-09)"; an approximate result says so plainly, with what the engine cannot know.
 */
export function runtimeNote(runtime) {
  const since = runtime.liveSince ? ` (live since ${runtime.liveSince})` : "";
  if (!runtime.approximate) {
    return el("span", { dataset: { testid: "runtime" } }, `rules of finney runtime ${runtime.rulesSpec ?? runtime.specVersion}${since}`);
  }
  return el("span", { class: "warn", role: "note", dataset: { testid: "runtime" } },
    `approximate: runtime ${runtime.specVersion} is unknown to this engine; rules of runtime ${runtime.rulesSpec}${since} stand in. Not modelled: ${runtime.unknownChanges.join("; ")}`);
}

/** A section card with a heading and an optional explanation. */
export function card(title, explanation, ...body) {
  return el("section", { class: "card" }, el("h2", {}, title), explanation ? el("p", { class: "muted" }, explanation) : null, ...body);
}
