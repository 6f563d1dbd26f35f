// Every demo element's spec, in the order the docs page shows them. Data only: the browser builds
// the classes from these (../lib/embed/element.js) and Node writes custom-elements.json from them
// (scripts/custom-elements-manifest.mjs). Adding an element = one spec file here and one line below
// (its iframe page www/embed/<demo>.html is a copy of another with data-demo changed).
import emission from "./emission.js";
import stake from "./stake.js";
import slippage from "./slippage.js";
import consensus from "./consensus.js";
import verify from "./verify.js";
import playground from "./playground.js";
import retention from "./retention.js";

/**
 * @typedef {object} ElementSpec
 * @property {string} tag            the custom element's name
 * @property {string} demo           its iframe page: embed/<demo>.html
 * @property {string} page           the app page that shows the same demo
 * @property {string} title
 * @property {string} summary
 * @property {{ name: string, type: string, default: string, description: string }[]} attributes
 * @property {{ name: string, type: string, description: string, readonly?: boolean }[]} properties
 * @property {{ name: string, description: string, primary?: boolean }[]} events
 * @property {Record<string, string>} example   attributes of a quick example (docs, screenshots)
 * @property {() => Promise<{ mount: Function, css: string[] }>} [load]   the demo (a TaoDemoElement)
 * @property {() => Promise<CustomElementConstructor>} [element]          or a class of its own
 */

/** @type {ElementSpec[]} */
export const ELEMENTS = [emission, stake, slippage, consensus, verify, retention, playground];

/** The spec of a demo name (embed/<demo>.html), or undefined. */
export const specOf = (demo) => ELEMENTS.find((s) => s.demo === demo);

// Events every demo element (a TaoDemoElement) may send besides its spec's own.
const BASE_EVENTS = [
  { name: "statechange", description: "The reader changed the demo's state inside; detail: the attributes that describe it." },
  { name: "error", description: "The demo could not start or run: detail { code, message }." },
];

/** Every event an element of `spec` may dispatch: its spec's, then the base class's. */
export function eventsOf(spec) {
  const extra = spec.element ? [] : BASE_EVENTS.filter((b) => !spec.events.some((e) => e.name === b.name));
  return [...spec.events, ...extra];
}
