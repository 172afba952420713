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

/** Draws into a canvas at most once per animation frame: `draw` replaces the pending drawing. */
export interface FrameDrawer {
  draw(paint: () => void): void;
  /** Drops the pending drawing (call when the canvas goes). */
  cancel(): void;
}

/**
 * Coalesces a canvas's redraws into the next animation frame. Chromium makes a task that draws a
 * GPU-backed 2D canvas wait for the GPU process once that canvas was drawn in more than two tasks
 * since the compositor last took a frame of it (`SharedContextRateLimiter`, ticked from
 * `CanvasRenderingContext2D::FinalizeFrame` in Blink). Here the GPU process rasterises on
 * SwiftShader, on the cores the worker trains on: a chart redrawn on each progress message made
 * the page wait 0.1 to 17 s (e2e/inspect.spec.ts). Drawn in a frame, a canvas is drawn once per
 * commit, and the limiter never waits.
 */
export function frameDrawer(): FrameDrawer {
  let pending: (() => void) | null = null;
  let frame = 0;
  return {
    draw(paint) {
      pending = paint;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const next = pending;
        pending = null;
        next?.();
      });
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      pending = null;
    },
  };
}
