// ECharts from the webjar (no CDN), themed for the user's light or dark preference. Each view
// creates its charts through here and disposes them when it unmounts, so nothing leaks.
import * as echarts from '/webjars/echarts/5.5.0/echarts.esm.min.js';

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const charts = new Set();

function palette() {
  const style = getComputedStyle(document.documentElement);
  const color = (name) => style.getPropertyValue(name).trim();
  return { text: color('--text'), muted: color('--muted'), grid: color('--border'), accent: color('--accent'),
    band: color('--band'), danger: color('--danger'), ok: color('--ok'), warn: color('--warn') };
}

/** Axis, legend and tooltip defaults that read well on both backgrounds. */
export function base() {
  const c = palette();
  const axis = { axisLine: { lineStyle: { color: c.grid } }, axisLabel: { color: c.muted },
    splitLine: { lineStyle: { color: c.grid, opacity: 0.5 } } };
  // useUTC: time axes label in UTC, like every other time on the dashboard (data is UTC).
  return { c, axis, common: { useUTC: true, backgroundColor: 'transparent', textStyle: { color: c.text },
    legend: { textStyle: { color: c.text }, top: 0 }, tooltip: { trigger: 'axis', confine: true },
    grid: { left: 56, right: 24, top: 36, bottom: 48, containLabel: false }, animationDuration: 300 } };
}

/**
 * A chart in `element`; `render(...args)` returns its option. `update(...args)` draws; the chart
 * is redrawn with the last arguments when the colour scheme changes and resized with its box.
 */
export function chart(element, render) {
  const theme = () => (dark.matches ? 'dark' : null);
  let instance = echarts.init(element, theme());
  let lastArgs = null;
  const handlers = [];
  const resize = new ResizeObserver(() => instance.resize());
  resize.observe(element);
  const entry = {
    update(...args) {
      lastArgs = args;
      instance.setOption(render(...args), { notMerge: true });
      // "First chart within 1.5 s": measured from navigation start (ops/bench dashboard, the browser test).
      if (!performance.getEntriesByName('refinery:first-chart').length) performance.mark('refinery:first-chart');
    },
    onClick(handler) {
      handlers.push(handler);
      instance.on('click', handler);
    },
    rethemed() {
      instance.dispose();
      instance = echarts.init(element, theme());
      handlers.forEach((handler) => instance.on('click', handler));
      if (lastArgs) instance.setOption(render(...lastArgs), { notMerge: true });
    },
    dispose() {
      resize.disconnect();
      instance.dispose();
      charts.delete(entry);
    },
  };
  charts.add(entry);
  return entry;
}

dark.addEventListener('change', () => charts.forEach((entry) => entry.rethemed()));
