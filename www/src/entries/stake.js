// Entry of stake.html: the page shell around the demo that <tao-stake-simulator> also embeds (../pages/stake.js).
import { startDemoPage } from "../shell.js";
import { mount, page } from "../pages/stake.js";
import "../stake/stake.css";
import "../lib/live.css"; // the source panel's styles (lib/source-panel.js)
startDemoPage(page, mount);
