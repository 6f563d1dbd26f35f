// Draws retention maps on a canvas with d3-contour (marching squares over the cell grid) and
// d3-scale / d3-scale-chromatic (axes, viridis colours), in the layout of scripts/map_consensus.py:
// x = honest (major) self-weight W_H, y = cabal (minor) self-weight W_C. Text on the canvas is
// drawn with fillText (never HTML). No side effects at import.
import { contours } from "d3-contour";
import { scaleLinear, scaleSequential } from "d3-scale";
import { interpolateViridis } from "d3-scale-chromatic";

const SIZE = 640;
const M = { left: 64, right: 150, top: 44, bottom: 56 };
const SCALE = 2;

/** The E_H grid of share index `s` in d3-contour order (x = W_H index, y = W_C index). */
export function shareGrid(cells, s, steps) {
  const m = steps + 1;
  const values = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) values[i + j * m] = cells.majorRatio[s * m * m + i * m + j];
  return values;
}

function frame(canvas, title) {
  canvas.width = (SIZE + M.right - 64) * SCALE;
  canvas.height = SIZE * SCALE;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(SCALE, 0, 0, SCALE, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const w = SIZE - M.left - 64;
  const h = SIZE - M.top - M.bottom;
  const x = scaleLinear().domain([0, 1]).range([M.left, M.left + w]);
  const y = scaleLinear().domain([0, 1]).range([M.top + h, M.top]);
  ctx.strokeStyle = "#d9d9d9";
  ctx.setLineDash([2, 3]);
  ctx.lineWidth = 1;
  for (const t of x.ticks(20)) {
    ctx.beginPath(); ctx.moveTo(x(t), y(0)); ctx.lineTo(x(t), y(1)); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(x(0), y(t)); ctx.lineTo(x(1), y(t)); ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.fillStyle = "#222";
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "center";
  for (const t of x.ticks(10)) ctx.fillText(t.toFixed(1), x(t), y(0) + 16);
  ctx.textAlign = "right";
  for (const t of y.ticks(10)) ctx.fillText(t.toFixed(1), x(0) - 6, y(t) + 4);
  ctx.textAlign = "center";
  ctx.font = "13px system-ui, sans-serif";
  ctx.fillText("Major (honest) self-weight W_H", x(0.5), y(0) + 40);
  ctx.fillText(title, x(0.5), 24);
  ctx.save();
  ctx.translate(18, y(0.5));
  ctx.rotate(-Math.PI / 2);
  ctx.fillText("Minor (cabal) self-weight W_C", 0, 0);
  ctx.restore();
  ctx.strokeStyle = "#222";
  ctx.strokeRect(x(0), y(1), w, h);
  return { ctx, x, y, w, h };
}

/** Map a d3-contour point (grid coordinates, cell centres at i + 0.5) to weights. */
const toWeight = (p, m) => Math.min(1, Math.max(0, (p - 0.5) / (m - 1)));

/**
 * Stroke a contour's iso-lines, leaving out the pieces that close the rings along the grid's
 * border (d3-contour closes every ring there, between the outer cell centres and the edge).
 */
function strokeLines(ctx, geometry, m, x, y) {
  const low = (v) => v <= 0.5;
  const high = (v) => v >= m - 0.5;
  const edge = (a, b) => (low(a[0]) && low(b[0])) || (high(a[0]) && high(b[0])) || (low(a[1]) && low(b[1])) || (high(a[1]) && high(b[1]));
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      ctx.beginPath();
      let open = false;
      for (let k = 1; k < ring.length; k++) {
        const a = ring[k - 1];
        const b = ring[k];
        if (edge(a, b)) { open = false; continue; }
        if (!open) { ctx.moveTo(x(toWeight(a[0], m)), y(toWeight(a[1], m))); open = true; }
        ctx.lineTo(x(toWeight(b[0], m)), y(toWeight(b[1], m)));
      }
      ctx.stroke();
    }
  }
}

function fillGeometry(ctx, geometry, m, x, y) {
  ctx.beginPath();
  for (const polygon of geometry.coordinates) {
    for (const ring of polygon) {
      ring.forEach((p, k) => {
        const px = x(toWeight(p[0], m));
        const py = y(toWeight(p[1], m));
        if (k === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
      });
      ctx.closePath();
    }
  }
  ctx.fill("evenodd");
}

/**
 * Retention lines (retention-lines.svg and the hyperparameter figures): for every honest share
 * S_H, the contour E_H = S_H of its map. Right of a line the honest side keeps or grows its share.
 */
export function drawRetentionLines(canvas, { cells, stakes, steps, highlight = 0.6, title }) {
  const { ctx, x, y } = frame(canvas, title);
  const m = steps + 1;
  const colour = scaleSequential(interpolateViridis).domain([-1, stakes.length - 1]);
  stakes.forEach((stake, s) => {
    const c = contours().size([m, m]).contour(shareGrid(cells, s, steps), stake);
    ctx.strokeStyle = colour(s);
    ctx.lineWidth = Math.abs(stake - highlight) < 1e-9 ? 3.5 : 1.6;
    strokeLines(ctx, c, m, x, y);
  });
  legend(ctx, stakes.map((stake, s) => [colour(s), `S_H = E_H = ${stake.toFixed(2)}`, Math.abs(stake - highlight) < 1e-9]));
}

/**
 * One share's emission map (emission-60.svg, emission-70.svg): filled contours of E_H every 0.1,
 * with the retention contour E_H = S_H drawn thick.
 */
export function drawEmission(canvas, { cells, stake, steps, title }) {
  const { ctx, x, y } = frame(canvas, title);
  const m = steps + 1;
  const values = shareGrid(cells, 0, steps);
  const levels = Array.from({ length: 11 }, (_, k) => k / 10);
  const colour = scaleSequential(interpolateViridis).domain([0, 1]);
  const gen = contours().size([m, m]);
  for (const level of levels) {
    ctx.fillStyle = colour(level);
    fillGeometry(ctx, gen.contour(values, level), m, x, y);
  }
  ctx.strokeStyle = "#d62728";
  ctx.lineWidth = 3.5;
  strokeLines(ctx, gen.contour(values, stake), m, x, y);
  ctx.strokeStyle = "#222";
  ctx.lineWidth = 1;
  ctx.strokeRect(x(0), y(1), x(1) - x(0), y(0) - y(1));
  legend(ctx, [
    ...levels.slice(0, 10).map((l) => [colour(l), `E_H ≥ ${l.toFixed(1)}`, false]),
    ["#d62728", `E_H = S_H = ${stake.toFixed(2)}`, true],
  ]);
}

function legend(ctx, items) {
  const left = SIZE - 64 + 12;
  ctx.font = "11px system-ui, sans-serif";
  ctx.textAlign = "left";
  items.forEach(([colour, label, bold], k) => {
    const top = M.top + 8 + k * 18;
    ctx.fillStyle = colour;
    ctx.fillRect(left, top, 18, bold ? 6 : 4);
    ctx.fillStyle = "#222";
    ctx.font = `${bold ? "bold " : ""}11px system-ui, sans-serif`;
    ctx.fillText(label, left + 24, top + 6);
  });
}
