// Entry of the embeddable build: registers every demo element (<tao-emission>,
// <tao-stake-simulator>, <tao-slippage>, <tao-consensus-explorer>, <tao-verify>,
// <tao-subnet-playground>). The built page dist/embed.html loads it with one
// <script type="module"> tag: copy that tag. Each demo's code, the engine and its .wasm load
// relative to it, when an element of that kind first appears.
import { ELEMENTS } from "./index.js";
import { defineElement } from "../lib/embed/element.js";

for (const spec of ELEMENTS) defineElement(spec).catch((err) => console.error(`${spec.tag}:`, err));
