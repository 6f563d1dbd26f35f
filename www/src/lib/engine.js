// The engine's wasm for the custom elements, initialised once per page: every element awaits the
// same promise (a page whose shell already initialised it is not re-initialised; init() is a no-op
// once done). Side-effect free: nothing loads until the first call.
import init from "tao-engine/full";

/** @type {ReturnType<typeof init> | null} */
let ready = null;

/** The engine, initialised (the same promise on every call). */
export const engineReady = () => (ready ??= init());
