/** Shared plumbing of the lab's uPlot charts. */
import type uPlot from 'uplot';

/** Keeps a chart as wide as its host (at least `minWidth`); returns the cleanup that also destroys it. */
export function fitToHost(plot: uPlot, host: HTMLElement, minWidth: number, height: number): () => void {
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(minWidth, host.clientWidth), height }));
  resize.observe(host);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
