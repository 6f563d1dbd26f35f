// The custom elements of the demos, built from their specs (www/src/elements/*.js): one class per
// spec, whose shadow root holds the same demo its page shows (the page module's `mount`).
//
//   attributes  the demo's scalar state, named as the page's query keys (netuid, amount, …); every
//               change re-mounts the demo with the new state
//   properties  object inputs listed in the spec (pool, subnet, snapshot, …); `result` (the last
//               primary event's detail) and `state` (the demo's current state, as attributes)
//   events      CustomEvents (bubbling, composed) named in the spec, plus `statechange` when the
//               user changes the state inside, and `error` when the demo cannot start
//   theme       --tao-accent, --tao-bg, --tao-fg, --tao-muted, --tao-border, --tao-card,
//               --tao-field, --tao-good, --tao-bad, --tao-font (see theme.css)
//
// A demo module is side-effect free and exports `mount(root, ctx)`, where ctx is
// { params: URLSearchParams, props: object, emit(type, detail), setState(object) }; it may return
// { destroy() } (called before a re-mount or when the element leaves the page).
import { buildInfo, runtimeRules } from "tao-engine/full";
import uplotCss from "uplot/dist/uPlot.min.css?inline";
import contentCss from "../content.css?inline";
import themeCss from "./theme.css?inline";
import { el, runtimeNote } from "../dom.js";
import { engineReady } from "../engine.js";
import { eventsOf } from "../../elements/index.js";
import { errorText } from "../format.js";

/** The base of every demo element; `elementClass(spec)` makes the concrete class. */
export class TaoDemoElement extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._props = {};
    this._gen = 0;
    this._handle = null;
    this._result = null;
    this._state = null;
    this.updateComplete = Promise.resolve();
  }

  /** The spec the class was made from (tag, attributes, properties, events). */
  get spec() { return /** @type {any} */ (this.constructor).spec; }

  /** The detail of the last primary event (e.g. the last quote), or null. */
  get result() { return this._result; }

  /** The demo's current state as attribute values (what an iframe URL's query would hold). */
  get state() { return this._state ?? this._params(); }

  connectedCallback() {
    // A property set before the element was upgraded is an own property that hides the accessor.
    for (const p of this.spec.properties) {
      if (Object.prototype.hasOwnProperty.call(this, p.name)) {
        const value = this[p.name];
        delete this[p.name];
        this._props[p.name] = value ?? undefined;
      }
    }
    this._schedule();
  }

  disconnectedCallback() {
    this._gen++;
    this._unmount();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected) this._schedule();
  }

  _params() {
    const out = {};
    for (const a of this.spec.attributes) if (this.hasAttribute(a.name)) out[a.name] = this.getAttribute(a.name);
    return out;
  }

  _unmount() {
    try { this._handle?.destroy?.(); } catch (err) { console.warn(err); }
    this._handle = null;
  }

  // Several attribute changes in one task re-mount once.
  _schedule() {
    this.dataset.state = "pending";
    const gen = ++this._gen;
    this.updateComplete = new Promise((resolve) => queueMicrotask(() => resolve(gen === this._gen ? this._mount(gen) : null)));
  }

  async _mount(gen) {
    const spec = this.spec;
    const stale = () => gen !== this._gen || !this.isConnected;
    this._unmount();
    try {
      const [{ mount, css }] = await Promise.all([spec.load(), engineReady()]);
      if (stale()) return;
      const style = el("style");
      style.textContent = [themeCss, contentCss, uplotCss, ...css].join("\n");
      const root = el("div", { class: "tao-root", part: "root" });
      const rules = runtimeRules(undefined);
      const foot = el("p", { class: "tao-foot" }, `${spec.title} · tao-engine ${buildInfo().version} · `, runtimeNote(rules),
        " · computed in your browser");
      /** @type {ShadowRoot} */ (this.shadowRoot).replaceChildren(style, root, foot);
      this._state = this._params();
      const primary = spec.events.find((e) => e.primary)?.name;
      let mounting = true;
      const ctx = {
        params: new URLSearchParams(/** @type {Record<string, string>} */ (this._state)),
        props: { ...this._props },
        emit: (type, detail) => {
          if (stale()) return;
          if (type === primary) this._result = detail;
          this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
        },
        setState: (state) => {
          if (stale()) return;
          const next = Object.fromEntries(Object.entries(state).filter(([, v]) => v != null).map(([k, v]) => [k, String(v)]));
          const changed = JSON.stringify(next) !== JSON.stringify(this._state);
          this._state = next;
          // The demo settling its own state while it mounts is not a change by the reader.
          if (changed && !mounting) this.dispatchEvent(new CustomEvent("statechange", { detail: { ...next }, bubbles: true, composed: true }));
        },
      };
      this.dataset.state = "running";
      const handle = await mount(root, ctx);
      mounting = false;
      if (stale()) { handle?.destroy?.(); return; }
      this._handle = handle ?? null;
      this.dataset.state = "ready";
    } catch (err) {
      if (stale()) return;
      console.error(err);
      this.dataset.state = "error";
      /** @type {ShadowRoot} */ (this.shadowRoot).replaceChildren(el("style", {}, themeCss + contentCss),
        el("div", { class: "tao-root" }, el("p", { class: "error", role: "alert" }, errorText(err))));
      this.dispatchEvent(new CustomEvent("error", { detail: { code: err?.code ?? null, message: String(err?.message ?? err) }, bubbles: true, composed: true }));
    }
  }
}

/** A concrete element class for `spec`: observed attributes and object properties from the spec. */
export function elementClass(spec) {
  const cls = class extends TaoDemoElement {
    static spec = spec;
    static get observedAttributes() { return spec.attributes.map((a) => a.name); }
    static get events() { return eventsOf(spec).map((e) => e.name); }
  };
  for (const p of spec.properties) {
    if (p.readonly) continue;
    Object.defineProperty(cls.prototype, p.name, {
      configurable: true,
      get() { return this._props[p.name] ?? null; },
      set(value) {
        this._props[p.name] = value ?? undefined;
        if (this.isConnected) this._schedule();
      },
    });
  }
  return cls;
}

/**
 * Register the element of `spec` under its tag (or `name`), once: a second call, or a tag another
 * script already defined, is left alone. Resolves to the registered class.
 */
export async function defineElement(spec, name = spec.tag) {
  if (customElements.get(name)) return customElements.get(name);
  // A fresh subclass: one constructor may be registered under one name only.
  const cls = spec.element ? class extends (await spec.element()) {} : elementClass(spec);
  // get() and define() run in the same task: no other define can slip in between.
  if (!customElements.get(name)) customElements.define(name, /** @type {CustomElementConstructor} */ (cls));
  return customElements.get(name);
}
