import { startPage } from "../shell.js";
import { placeholder } from "./placeholder.js";

startPage((main) => placeholder(main, {
  title: "Pools & slippage",
  lead: "Exact quotes against a subnet's pool, as the chain would execute them.",
  planned: [
    "Quote for an amount: output, effective price, price impact, fee",
    "The whole slippage curve",
    "Limit price with partial fill",
    "The same trade in each pool era: constant product, Uniswap v3, weighted pool"
  ],
}));
