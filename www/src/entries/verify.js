// Entry of verify.html: the page shell around the demo that <tao-verify> also embeds (../pages/verify.js).
import { startDemoPage } from "../shell.js";
import { mount, page } from "../pages/verify.js";
import "../verify/verify.css";
import "../lib/live.css"; // the source panel's styles (lib/source-panel.js)
startDemoPage(page, mount);
