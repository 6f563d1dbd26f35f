// A small canvas heatmap for weight and bond matrices: rows are validators, columns are UIDs.
// Hovering a cell shows its exact value; the colour scale is linear from 0 to the matrix maximum.
import { el } from "./dom.js";

/**
 * @param {{ rows: number[][], rowLabels?: string[], colLabels?: string[], title?: string,
 *           format?: (v: number) => string, cell?: number }} spec
 * @returns {HTMLElement}
 */
export function heatmap(spec) {
  const rows = spec.rows;
  const nRows = rows.length;
  const nCols = Math.max(0, ...rows.map((r) => r.length));
  const cell = spec.cell ?? Math.max(6, Math.min(28, Math.floor(640 / Math.max(1, nCols))));
  const pad = 28;
  const canvas = el("canvas", { width: pad + nCols * cell, height: pad + nRows * cell, class: "heatmap", role: "img",
    "aria-label": spec.title ?? "heatmap" });
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const max = Math.max(1e-12, ...rows.flat());
  const fmt = spec.format ?? ((v) => v.toPrecision(4));
  ctx.fillStyle = "#9aa3b2";
  ctx.font = "10px system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (let j = 0; j < nCols; j++) {
    if (cell >= 12 || j % Math.ceil(12 / cell) === 0) ctx.fillText(spec.colLabels?.[j] ?? String(j), pad + j * cell + 2, pad / 2);
  }
  for (let i = 0; i < nRows; i++) {
    if (cell >= 12 || i % Math.ceil(12 / cell) === 0) ctx.fillText(spec.rowLabels?.[i] ?? String(i), 2, pad + i * cell + cell / 2);
    for (let j = 0; j < nCols; j++) {
      const v = rows[i][j] ?? 0;
      const t = v / max;
      // dark blue-grey (0) to teal (max)
      ctx.fillStyle = `rgb(${Math.round(23 + t * (88 - 23))}, ${Math.round(26 + t * (196 - 26))}, ${Math.round(33 + t * (167 - 33))})`;
      ctx.fillRect(pad + j * cell, pad + i * cell, cell - 1, cell - 1);
    }
  }
  const tip = el("div", { class: "muted mono heatmap-tip" }, " ");
  canvas.addEventListener("mousemove", (ev) => {
    const r = canvas.getBoundingClientRect();
    const x = ((ev.clientX - r.left) * canvas.width) / r.width - pad;
    const y = ((ev.clientY - r.top) * canvas.height) / r.height - pad;
    const i = Math.floor(y / cell), j = Math.floor(x / cell);
    tip.textContent = i >= 0 && j >= 0 && i < nRows && j < nCols
      ? `${spec.rowLabels?.[i] ?? "row " + i} → ${spec.colLabels?.[j] ?? "col " + j}: ${fmt(rows[i][j] ?? 0)}` : " ";
  });
  return el("figure", { class: "heatmap-figure" }, spec.title ? el("figcaption", {}, spec.title) : null, canvas, tip);
}
