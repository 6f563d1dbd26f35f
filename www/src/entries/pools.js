// Entry of pools.html: the page shell around the demo that <tao-slippage> also embeds (../pages/pools.js).
import { startDemoPage } from "../shell.js";
import { mount, page } from "../pages/pools.js";
import "../pools/pools.css";
import "../lib/live.css"; // the source panel's styles (lib/source-panel.js)
startDemoPage(page, mount);
