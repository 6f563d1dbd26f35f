import { startPage } from "../shell.js";
import { placeholder } from "./placeholder.js";

startPage((main) => placeholder(main, {
  title: "Stake simulator",
  lead: "What will a stake earn? This page will model the real pipeline (subnet emission shares, injection, halvings, owner cut, take, child keys) and give a range rather than one number.",
  planned: [
    "A position: amount, subnet or root, validator, horizon, entry and exit",
    "Expected value in alpha and TAO over time, split into emission yield, price change, fees and slippage",
    "A seeded Monte Carlo range, with the assumptions stated",
    "Strategy comparison: root, one subnet, or spread over N"
  ],
}));
