/**
 * The decision boundary of a 2-D classifier: a grid of points over the data, which the worker
 * predicts, and the colours the page paints them in.
 */

export interface GridBounds {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** The data's extent, padded by a tenth on each side so points never sit on the edge. */
export function boundsOf(points: ArrayLike<number>): GridBounds {
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i] as number, y = points[i + 1] as number;
    xMin = Math.min(xMin, x); xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y); yMax = Math.max(yMax, y);
  }
  if (!Number.isFinite(xMin)) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const px = (xMax - xMin || 1) * 0.1, py = (yMax - yMin || 1) * 0.1;
  return { xMin: xMin - px, xMax: xMax + px, yMin: yMin - py, yMax: yMax + py };
}

/** `n` x `n` points at the centres of the grid's cells, row by row from the top (largest y). */
export function gridPoints(b: GridBounds, n: number): Float32Array {
  const out = new Float32Array(n * n * 2);
  for (let row = 0; row < n; row++) {
    const y = b.yMax - ((row + 0.5) / n) * (b.yMax - b.yMin);
    for (let col = 0; col < n; col++) {
      out[(row * n + col) * 2] = b.xMin + ((col + 0.5) / n) * (b.xMax - b.xMin);
      out[(row * n + col) * 2 + 1] = y;
    }
  }
  return out;
}

/**
 * Class colours, distinguishable for the common colour-vision deficiencies (Okabe and Ito, "Color
 * Universal Design", 2008).
 */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 159, 0], [86, 180, 233], [0, 158, 115], [240, 228, 66], [0, 114, 178], [213, 94, 0], [204, 121, 167], [0, 0, 0],
];

/**
 * RGBA pixels of the boundary image: each cell is its predicted class's colour, lighter where the
 * model is less sure (`probs` row-major, `numClasses` a cell).
 */
export function boundaryPixels(probs: ArrayLike<number>, n: number, numClasses: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(n * n * 4);
  for (let i = 0; i < n * n; i++) {
    let best = 0;
    for (let k = 1; k < numClasses; k++) if ((probs[i * numClasses + k] as number) > (probs[i * numClasses + best] as number)) best = k;
    const p = probs[i * numClasses + best] as number;
    // Confidence from 1/k (a guess) to 1 (sure) sets how strongly the cell is tinted.
    const sure = numClasses > 1 ? Math.max(0, (p - 1 / numClasses) / (1 - 1 / numClasses)) : 1;
    const [r, g, b] = CLASS_COLOURS[best % CLASS_COLOURS.length] as readonly [number, number, number];
    const t = 0.25 + 0.5 * sure;
    out.set([255 + (r - 255) * t, 255 + (g - 255) * t, 255 + (b - 255) * t, 255], i * 4);
  }
  return out;
}
