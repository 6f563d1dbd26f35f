// Shared body for pages whose engine part has not landed yet: says what the page will do and
// shows the engine is loaded (build info in the footer).
import { card, el } from "../lib/dom.js";

export function placeholder(main, { title, lead, planned }) {
  main.append(
    el("h1", {}, title),
    el("p", { class: "lead" }, lead),
    card("Coming next", null,
      el("ul", { class: "todo", dataset: { testid: "planned" } }, planned.map((p) => el("li", {}, p)))),
  );
}
