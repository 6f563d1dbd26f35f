// Number and text formatting shared by the pages and the custom elements: rao and TAO, percents,
// shortened keys. Side-effect free and DOM-free (Node imports it too, through the playground).

/** Rao per TAO (and per alpha): amounts are integers of rao, 10^-9 of a token. */
export const RAO_PER_TAO = 1_000_000_000n;

/**
 * Format a rao amount (bigint) as TAO with up to `digits` decimals, exactly (no float rounding):
 * thousands grouped, trailing zeros dropped ("1,234.5").
 * @param {bigint} rao
 * @param {number} [digits]
 * @returns {string}
 */
export function formatTao(rao, digits = 9) {
  const neg = rao < 0n;
  const abs = neg ? -rao : rao;
  const whole = abs / RAO_PER_TAO;
  let frac = (abs % RAO_PER_TAO).toString().padStart(9, "0").slice(0, digits).replace(/0+$/, "");
  const w = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${w}${frac ? "." + frac : ""}`;
}

/**
 * Format a rao amount (bigint) with exactly `digits` decimals (truncated, no grouping): "1234.500".
 * @param {bigint} rao
 * @param {number} [digits]
 * @returns {string}
 */
export function formatAlpha(rao, digits = 3) {
  const neg = rao < 0n;
  const a = neg ? -rao : rao;
  const whole = a / RAO_PER_TAO;
  const frac = (a % RAO_PER_TAO).toString().padStart(9, "0").slice(0, digits);
  return `${neg ? "-" : ""}${whole}${digits > 0 ? `.${frac}` : ""}`;
}

/**
 * Parse a TAO amount typed by a person ("10.5") into rao (bigint); throws on bad input.
 * @param {unknown} text
 * @returns {bigint}
 */
export function parseTao(text) {
  const t = String(text).trim().replace(/[,_\s]/g, "");
  const m = /^(\d+)(?:\.(\d{0,9}))?$/.exec(t);
  if (!m) throw new Error(`"${text}" is not a TAO amount (digits, optionally a point and up to 9 decimals)`);
  return BigInt(m[1]) * RAO_PER_TAO + BigInt((m[2] || "").padEnd(9, "0"));
}

/**
 * A rao amount as a float number of TAO, for charts and axes only (never for a shown amount).
 * @param {bigint | number | string} rao
 * @returns {number}
 */
export const taoNumber = (rao) => Number(rao) / 1e9;

/**
 * A number that is already a percent, as text: "12.34 %".
 * @param {number | string} value
 * @param {number} [digits]
 */
export const percentText = (value, digits = 2) => `${Number(value).toFixed(digits)} %`;

/**
 * A fraction (0.1234) as a percent: "12.34 %".
 * @param {number} fraction
 * @param {number} [digits]
 */
export const percent = (fraction, digits = 2) => `${(fraction * 100).toFixed(digits)} %`;

/**
 * A long key (hex or SS58) shortened to its first 8 and last `tail` characters; "—" when absent.
 * @param {string | null | undefined} key
 * @param {number} [tail]
 * @returns {string}
 */
export const shortKey = (key, tail = 4) =>
  typeof key === "string" && key.length > 10 + tail ? `${key.slice(0, 8)}…${key.slice(-tail)}` : key ?? "—";

/**
 * An error in words: "CODE (field): message", the code once (an RpcError's message, and an engine
 * error's that names its code, already starts with it); the bare message when there is no code.
 * @param {any} e
 * @returns {string}
 */
export function errorText(e) {
  const m = String(e?.message ?? e);
  if (!e?.code || m.startsWith(e.code)) return m;
  return `${e.code}${e.field ? ` (${e.field})` : ""}: ${m}`;
}
