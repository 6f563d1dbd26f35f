import { startPage } from "../shell.js";
import { placeholder } from "./placeholder.js";

startPage((main) => placeholder(main, {
  title: "Consensus explorer",
  lead: "Yuma consensus, step by step, with the chain's own fixed-point arithmetic.",
  planned: [
    "Upstream scenarios as presets",
    "An editable small subnet: stakes, weights, kappa, bonds penalty, liquid alpha, Yuma3",
    "Heatmaps and line plots of weights, consensus, incentive, dividends and bonds over epochs"
  ],
}));
