/** Shared plumbing of the lab's uPlot charts. */
import type uPlot from 'uplot';

/**
 * Keeps a chart exactly as wide as its host, so it never pokes out of a narrow column; returns the
 * cleanup that also destroys it. While the host is hidden (a view not shown, width 0) the chart keeps
 * its size and is fitted again when the view is shown. `minWidth` is the width used before layout.
 */
export function fitToHost(plot: uPlot, host: HTMLElement, minWidth: number, height: number): () => void {
  const resize = new ResizeObserver(() => {
    if (host.clientWidth > 0) plot.setSize({ width: host.clientWidth, height });
  });
  resize.observe(host);
  if (host.clientWidth === 0) plot.setSize({ width: minWidth, height });
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

/** The first width of a chart: its host's, or `fallback` while the host is not laid out. */
export const firstWidth = (host: HTMLElement, fallback: number): number => host.clientWidth || fallback;

/** Axis text large enough to read from the back of a classroom (uPlot's default is 12px). */
export const AXIS_FONT = { font: '14px system-ui, sans-serif', labelFont: 'bold 14px system-ui, sans-serif', stroke: '#1d2125' } as const;

/** Line width of chart series, thick enough for a projector. */
export const LINE_WIDTH = 3;
