// Thin wrapper over uPlot: sized to its container, redrawn on resize, readable on dark and phone.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const AXIS = { stroke: "#9aa3b2", grid: { stroke: "#262b36" }, ticks: { stroke: "#262b36" } };
const COLORS = ["#58c4a7", "#e0a458", "#61afef", "#c678dd", "#e06c75", "#98c379", "#d19a66", "#56b6c2"];

/**
 * Draw a line chart into `container`.
 * @param {HTMLElement} container
 * @param {{ x: number[], series: { label: string, values: number[], stepped?: boolean }[],
 *           xLabel?: string, yLabel?: string, height?: number, xFormat?: (v:number)=>string }} spec
 */
export function lineChart(container, spec) {
  const width = () => Math.max(280, container.clientWidth || 600);
  const opts = {
    width: width(),
    height: spec.height ?? 300,
    scales: { x: { time: false } },
    axes: [
      { ...AXIS, label: spec.xLabel, values: spec.xFormat ? (u, vals) => vals.map(spec.xFormat) : undefined },
      { ...AXIS, label: spec.yLabel, size: 70 },
    ],
    series: [
      { label: spec.xLabel ?? "x", value: spec.xFormat ? (u, v) => (v == null ? "" : spec.xFormat(v)) : undefined },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        paths: s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        points: { show: false },
      })),
    ],
  };
  const plot = new uPlot(opts, [spec.x, ...spec.series.map((s) => s.values)], container);
  const ro = new ResizeObserver(() => plot.setSize({ width: width(), height: opts.height }));
  ro.observe(container);
  return plot;
}
