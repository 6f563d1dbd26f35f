import { startPage } from "../shell.js";
import { placeholder } from "./placeholder.js";

startPage((main) => placeholder(main, {
  title: "Subnet playground",
  lead: "A whole small subnet in a browser tab: miners run models, a validator scores them, Yuma consensus sets the rewards.",
  planned: [
    "Vision and text demo subnets with honest miners and cheaters",
    "Inference on WebGPU with a SIMD CPU fallback",
    "An embeddable <tao-subnet-playground> element"
  ],
}));
