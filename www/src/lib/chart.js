// Thin wrapper over uPlot: sized to its container, redrawn on resize, readable on dark and phone.
// Side-effect free: uPlot's stylesheet is loaded by the page shell, or inlined in an element's
// shadow root. Axis colours follow the --muted and --line custom properties where they are set
// (an element themed with --tao-muted / --tao-border).
import uPlot from "uplot";

const COLORS = ["#58c4a7", "#e0a458", "#61afef", "#c678dd", "#e06c75", "#98c379", "#d19a66", "#56b6c2"];

/**
 * Draw a line chart into `container`.
 * @param {HTMLElement} container
 * @param {{ x: number[], series: { label: string, values: number[], stepped?: boolean }[],
 *           xLabel?: string, yLabel?: string, height?: number, xFormat?: (v:number)=>string }} spec
 */
export function lineChart(container, spec) {
  const width = () => Math.max(280, container.clientWidth || 600);
  const cs = getComputedStyle(container);
  const muted = cs.getPropertyValue("--muted").trim() || "#9aa3b2";
  const line = cs.getPropertyValue("--line").trim() || "#262b36";
  const AXIS = { stroke: muted, grid: { stroke: line }, ticks: { stroke: line } };
  const xFormat = spec.xFormat;
  const stepped = /** @type {NonNullable<typeof uPlot.paths.stepped>} */ (uPlot.paths.stepped);
  const opts = {
    width: width(),
    height: spec.height ?? 300,
    scales: { x: { time: false } },
    axes: [
      { ...AXIS, label: spec.xLabel, values: xFormat ? (u, vals) => vals.map(xFormat) : undefined },
      { ...AXIS, label: spec.yLabel, size: 70 },
    ],
    series: [
      { label: spec.xLabel ?? "x", value: xFormat ? (u, v) => (v == null ? "" : xFormat(v)) : undefined },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        paths: s.stepped ? stepped({ align: 1 }) : undefined,
        points: { show: false },
      })),
    ],
  };
  const plot = new uPlot(opts, [spec.x, ...spec.series.map((s) => s.values)], container);
  const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: opts.height }));
  ro.observe(container);
  return plot;
}
