import { startPage } from "../shell.js";
import { placeholder } from "./placeholder.js";

startPage((main) => placeholder(main, {
  title: "Verify on-chain",
  lead: "Re-run a subnet's epoch from chain data and compare every persisted output with the chain's.",
  planned: [
    "An endpoint, netuid and block, a snapshot file, or the embedded SN1 snapshot",
    "A verdict with a per-UID diff table",
    "Weights and commit-reveal checks"
  ],
}));
