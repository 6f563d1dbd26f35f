// Entry of consensus.html: the page shell around the demo that <tao-consensus-explorer> also embeds (../pages/consensus.js).
import { startDemoPage } from "../shell.js";
import { mount, page } from "../pages/consensus.js";
import "../consensus/consensus.css";
startDemoPage(page, mount);
