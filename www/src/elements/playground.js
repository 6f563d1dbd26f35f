// <tao-subnet-playground>: the whole subnet loop (../playground/element.js, its own class). Data
// only (the class loads on define), so Node can read it for custom-elements.json.
import { textAttribute as text } from "../lib/attributes.js";

/** @type {import("./index.js").ElementSpec} */
export default {
  tag: "tao-subnet-playground",
  demo: "playground",
  page: "playground.html",
  title: "Subnet playground",
  summary: "A whole subnet in the page: miners (small neural networks and cheaters) answer seeded challenges, validators set u16 weights, and the chain's Yuma epoch pays incentive, dividends and alpha, epoch after epoch.",
  attributes: [
    text("demo", "vision", "vision (digits) or text (next character)."),
    text("cheaters", "random,copier,lazy", "Comma list of random, copier, lazy; none."),
    text("epochs", "8", "Epochs to run, 1–50."),
    text("kappa", "32767", "Consensus majority: u16 or a fraction 0..1."),
    text("validators", "3", "Validators, 1–5."),
    text("backend", "auto", "auto, cpu or webgpu."),
    { name: "yuma3", type: "boolean", default: "false", description: "Yuma3 (relative bonds): present = on." },
    { name: "liquid-alpha", type: "boolean", default: "false", description: "Liquid alpha: present = on." },
    text("bonds-penalty", "65535", "Bonds penalty: u16 or a fraction 0..1."),
    text("batch", "64", "Challenges per validator per epoch, 8–512."),
    text("seed", "1", "Seed of the challenges."),
    text("controls", "", "`none` hides the controls."),
  ],
  properties: [
    { name: "history", type: "object[]", readonly: true, description: "The epochs run so far (the `epoch` events' reports)." },
    { name: "backendInfo", type: "{ kind, reason, adapter, requested } | null", readonly: true, description: "Which backend answered (WebGPU or the wasm SIMD CPU path) and why." },
  ],
  events: [
    { name: "epoch", primary: true, description: "After each epoch: detail { epoch, uids, incentive, dividends, emission, serverEmission, validatorEmission, earned, accuracy, weight, consensus, backend }." },
    { name: "done", description: "All epochs ran: detail { history, backend }." },
    { name: "error", description: "The loop stopped: detail { code, message }." },
  ],
  example: { demo: "vision", epochs: "3", validators: "2", backend: "cpu", controls: "none" },
  element: async () => (await import("../playground/element.js")).TaoSubnetPlayground,
};
