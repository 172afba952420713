/**
 * A digit drawn on a canvas, prepared the way MNIST's digits were: the ink's bounding box scaled
 * to fit a 20x20 box (aspect ratio kept), then placed in a 28x28 image so that its centre of mass
 * is at the centre (Y. LeCun, C. Cortes, C. Burges, "The MNIST database", yann.lecun.com/exdb/mnist).
 * MNIST's ink is white (1) on black (0).
 */

const SIDE = 28;
const BOX = 20;

/** `ink` holds one value per canvas pixel in [0, 1] (1: fully inked). Returns null for an empty drawing. */
export function digitFromInk(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  const box = inkBox(ink, width, height);
  if (!box) return null;
  const scale = BOX / Math.max(box.w, box.h);
  const w = Math.max(1, Math.round(box.w * scale));
  const h = Math.max(1, Math.round(box.h * scale));
  const small = resample(ink, width, box, w, h);
  const [cx, cy] = centreOfMass(small, w, h);
  const out = new Float32Array(SIDE * SIDE);
  const dx = Math.round(SIDE / 2 - cx);
  const dy = Math.round(SIDE / 2 - cy);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const tx = x + dx, ty = y + dy;
      if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) out[ty * SIDE + tx] = small[y * w + x] as number;
    }
  }
  return out;
}

interface Box { x: number; y: number; w: number; h: number }

function inkBox(ink: ArrayLike<number>, width: number, height: number): Box | null {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] as number) > 0.05) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Area-averages the box down (or nearest-samples it up) to w x h. */
function resample(ink: ArrayLike<number>, width: number, box: Box, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy0 = box.y + Math.floor((y * box.h) / h), sy1 = Math.max(sy0 + 1, box.y + Math.floor(((y + 1) * box.h) / h));
    for (let x = 0; x < w; x++) {
      const sx0 = box.x + Math.floor((x * box.w) / w), sx1 = Math.max(sx0 + 1, box.x + Math.floor(((x + 1) * box.w) / w));
      let sum = 0;
      for (let sy = sy0; sy < sy1; sy++) for (let sx = sx0; sx < sx1; sx++) sum += ink[sy * width + sx] as number;
      out[y * w + x] = Math.min(1, sum / ((sx1 - sx0) * (sy1 - sy0)));
    }
  }
  return out;
}

function centreOfMass(img: Float32Array, w: number, h: number): [number, number] {
  let m = 0, mx = 0, my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = img[y * w + x] as number;
      m += v; mx += v * (x + 0.5); my += v * (y + 0.5);
    }
  }
  return m > 0 ? [mx / m, my / m] : [w / 2, h / 2];
}

/** Ink from a canvas's RGBA pixels: dark strokes on a light background count as ink. */
export function inkFromRgba(rgba: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) {
    const a = (rgba[i * 4 + 3] as number) / 255;
    const luma = (0.299 * (rgba[i * 4] as number) + 0.587 * (rgba[i * 4 + 1] as number) + 0.114 * (rgba[i * 4 + 2] as number)) / 255;
    out[i] = a * (1 - luma);
  }
  return out;
}
