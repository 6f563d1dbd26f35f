// Entry of the embeddable build: registers <tao-subnet-playground>. The built page
// dist/embed.html loads it with one <script type="module"> tag; copy that tag (it pulls in the
// element, uPlot and the engine with its .wasm, all relative to itself).
import { defineTaoSubnetPlayground } from "./element.js";

defineTaoSubnetPlayground();
