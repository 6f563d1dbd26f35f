// Entry of index.html: the page shell around the demo that <tao-emission> also embeds (../pages/emission.js).
import { startDemoPage } from "../shell.js";
import { mount, page } from "../pages/emission.js";

startDemoPage(page, mount);
