/**
 * Turns decoded RGBA pixels into one training example: a square `size` x `size` image, grayscale
 * or RGB, scaled to [0, 1]. Pure, so the worker, tests and the headless runner share it.
 */

export interface ImageShape {
  /** Side of the square example in pixels (28 for MNIST-like, 32 for CIFAR-like). */
  readonly size: number;
  readonly channels: 1 | 3;
}

export const GRAY_28: ImageShape = { size: 28, channels: 1 };
export const RGB_32: ImageShape = { size: 32, channels: 3 };

// ITU-R BT.601 luma weights (the ones MNIST-style grayscale conversions use).
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * Resizes by averaging the source pixels under each target pixel (a box filter, so downscaled
 * photos do not alias) after centre-cropping to a square. Transparent pixels count as white.
 */
export function toExample(rgba: ArrayLike<number>, width: number, height: number, shape: ImageShape): Float32Array {
  const { size, channels } = shape;
  const side = Math.min(width, height);
  const x0 = Math.floor((width - side) / 2);
  const y0 = Math.floor((height - side) / 2);
  const out = new Float32Array(size * size * channels);
  const scale = side / size;
  for (let ty = 0; ty < size; ty++) {
    const sy0 = y0 + Math.floor(ty * scale);
    const sy1 = Math.max(sy0 + 1, y0 + Math.floor((ty + 1) * scale));
    for (let tx = 0; tx < size; tx++) {
      const sx0 = x0 + Math.floor(tx * scale);
      const sx1 = Math.max(sx0 + 1, x0 + Math.floor((tx + 1) * scale));
      const rgb = boxMean(rgba, width, sx0, sx1, sy0, sy1);
      const at = (ty * size + tx) * channels;
      if (channels === 1) out[at] = LUMA[0] * rgb[0] + LUMA[1] * rgb[1] + LUMA[2] * rgb[2];
      else out.set(rgb, at);
    }
  }
  return out;
}

function boxMean(rgba: ArrayLike<number>, width: number, x0: number, x1: number, y0: number, y1: number): [number, number, number] {
  let r = 0, g = 0, b = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 4;
      const a = (rgba[i + 3] as number) / 255;
      r += ((rgba[i] as number) * a + 255 * (1 - a)) / 255;
      g += ((rgba[i + 1] as number) * a + 255 * (1 - a)) / 255;
      b += ((rgba[i + 2] as number) * a + 255 * (1 - a)) / 255;
    }
  }
  const n = (x1 - x0) * (y1 - y0);
  return [r / n, g / n, b / n];
}

/** A notice when the images came in several sizes (all were resized to the example size). */
export function sizeNotice(sizes: readonly { width: number; height: number }[], shape: ImageShape): string | null {
  const distinct = new Set(sizes.map((s) => `${s.width}x${s.height}`));
  if (distinct.size <= 1) return null;
  return `The images come in ${distinct.size} sizes (${[...distinct].slice(0, 4).join(', ')}${distinct.size > 4 ? ', ...' : ''}); each was centre-cropped to a square and resized to ${shape.size}x${shape.size}.`;
}
