// Embedded snapshots (offline). Built by `TAO_WRITE_SNAPSHOTS=1 cargo test --test verify_snapshots`
// from tests/fixtures/chain and data/yuma (see data/README.md for provenance).
import sn1 from "./data/sn1-b6852344-metagraph.json?raw";
import activeStake from "./data/epoch__test_active_stake-step-6.json?raw";
import graph10 from "./data/epoch__test_10_graph-step-10.json?raw";
import outdated from "./data/epoch__test_outdated_weights-step-0.json?raw";
import commitMask from "./data/epoch__test_epoch_does_not_mask_outside_window_but_masks_inside-step-4.json?raw";
import permits from "./data/epoch__test_validator_permits__interleave1_n8_v4_assign1-step-0.json?raw";

export const EMBEDDED = [
  { id: "sn1-6852344", label: "Finney SN1 (Apex) metagraph, block 6852344 — browse only", text: sn1 },
  { id: "active-stake", label: "Chain test test_active_stake, 3rd epoch (re-runs)", text: activeStake },
  { id: "graph-10", label: "Chain test test_10_graph (re-runs)", text: graph10 },
  { id: "outdated-weights", label: "Chain test test_outdated_weights (re-runs)", text: outdated },
  { id: "commit-reveal-mask", label: "Chain test: commit-reveal mask inside the window (re-runs)", text: commitMask },
  { id: "validator-permits", label: "Chain test test_validator_permits n=8 (re-runs)", text: permits },
];

export function embeddedText(id) {
  return (EMBEDDED.find((e) => e.id === id) ?? EMBEDDED[0]).text;
}
