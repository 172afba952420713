/**
 * Reordering the hidden units of Dense layers so that a pruned kernel gzips smaller. Swapping two
 * hidden units (two columns of a Dense kernel and its bias, and the same two rows of the next
 * Dense kernel) leaves the function of the network unchanged, but changes the byte order of the
 * file: a Dense kernel is stored row-major `[inputs, units]`, so units whose nonzeros sit in the
 * same input rows, placed side by side, turn scattered nonzero bytes into short runs, which
 * DEFLATE codes with fewer back-references. Pure.
 */
import type { NamedWeight } from './manifest';

/** Layers between two Dense layers that act on each unit alone (and hold no per-unit weights). */
const ELEMENTWISE: ReadonlySet<string> = new Set(['Activation', 'Dropout', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU']);

interface TopologyLayer {
  readonly className: string;
  readonly name: string;
}

function layersOf(modelTopology: Readonly<Record<string, unknown>>): TopologyLayer[] | null {
  if (modelTopology['class_name'] !== 'Sequential') return null;
  const config = modelTopology['config'] as { layers?: unknown } | undefined;
  if (!config || !Array.isArray(config.layers)) return null;
  return config.layers.map((l: { class_name?: unknown; config?: { name?: unknown } }) => ({ className: String(l.class_name), name: String(l.config?.name) }));
}

/**
 * The Dense layers of a Sequential topology whose units may be reordered: each is followed, past
 * element-wise layers only, by another Dense layer, whose kernel rows then move with them. Pairs
 * `[layer, next]`, in model order. Any other topology gives none.
 */
export function permutableDensePairs(modelTopology: Readonly<Record<string, unknown>>): [string, string][] {
  const layers = layersOf(modelTopology) ?? [];
  const pairs: [string, string][] = [];
  layers.forEach((layer, i) => {
    if (layer.className !== 'Dense') return;
    let j = i + 1;
    while (j < layers.length && ELEMENTWISE.has(layers[j]!.className)) j++;
    if (layers[j]?.className === 'Dense') pairs.push([layer.name, layers[j]!.name]);
  });
  return pairs;
}

/** Bitsets of the nonzero rows of each column of a row-major `[rows, cols]` matrix. */
function columnBitsets(values: Float32Array, rows: number, cols: number): Uint32Array[] {
  const words = Math.ceil(rows / 32);
  const sets = Array.from({ length: cols }, () => new Uint32Array(words));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (values[r * cols + c] !== 0) sets[c]![r >>> 5]! |= 1 << (r & 31);
  }
  return sets;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** |a ∩ b| / |a ∪ b| of two bitsets; 0 when both are empty. */
function jaccard(a: Uint32Array, b: Uint32Array): number {
  let both = 0;
  let either = 0;
  for (let w = 0; w < a.length; w++) {
    both += popcount(a[w]! & b[w]!);
    either += popcount(a[w]! | b[w]!);
  }
  return either === 0 ? 0 : both / either;
}

/**
 * An order of the columns of a row-major `[rows, cols]` kernel that puts columns with nonzeros
 * in the same rows next to each other: greedy nearest neighbour on the Jaccard similarity of
 * their nonzero rows, starting from the column with the most nonzeros (ties: lowest index).
 * Returns `order`, where new column k is old column `order[k]`.
 */
export function unitOrder(values: Float32Array, rows: number, cols: number): number[] {
  if (values.length !== rows * cols) throw new RangeError(`a ${rows}x${cols} kernel has ${rows * cols} values, not ${values.length}`);
  const sets = columnBitsets(values, rows, cols);
  const counts = sets.map((s) => s.reduce((n, w) => n + popcount(w), 0));
  let current = counts.indexOf(Math.max(...counts));
  const order = [current];
  const left = new Set(Array.from({ length: cols }, (_, i) => i));
  left.delete(current);
  while (left.size > 0) {
    let best = -1;
    let bestSimilarity = -1;
    for (const c of left) {
      const s = jaccard(sets[current]!, sets[c]!);
      if (s > bestSimilarity) [best, bestSimilarity] = [c, s];
    }
    order.push(best);
    left.delete(best);
    current = best;
  }
  return order;
}

/** `values` of a row-major `[rows, cols]` matrix with its columns reordered (`rowsMove` false) or its rows. */
function reorder(values: Float32Array, rows: number, cols: number, order: readonly number[], rowsMove: boolean): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = rowsMove ? values[order[r]! * cols + c]! : values[r * cols + order[c]!]!;
  }
  return out;
}

/**
 * Reorders the units of Dense layer `layer` by `order`: the columns of `layer/kernel`, the
 * entries of `layer/bias` (if any) and the rows of `next/kernel`. The network computes the same
 * function. Returns new weights; the others are passed through.
 */
export function permuteUnits(weights: readonly NamedWeight[], layer: string, next: string, order: readonly number[]): NamedWeight[] {
  return weights.map((w) => {
    if (w.name === `${layer}/kernel` && w.shape.length === 2) return { ...w, values: reorder(w.values, w.shape[0]!, w.shape[1]!, order, false) };
    if (w.name === `${layer}/bias`) return { ...w, values: Float32Array.from(order, (i) => w.values[i]!) };
    if (w.name === `${next}/kernel` && w.shape.length === 2) return { ...w, values: reorder(w.values, w.shape[0]!, w.shape[1]!, order, true) };
    return w;
  });
}

/**
 * The weights with the hidden units of every permutable Dense layer (`permutableDensePairs`)
 * reordered by `unitOrder` of its kernel: the same network, a file that gzips smaller when the
 * kernels are sparse. Weights of other topologies come back unchanged.
 */
export function orderUnitsForGzip(modelTopology: Readonly<Record<string, unknown>>, weights: readonly NamedWeight[]): NamedWeight[] {
  let out = [...weights];
  for (const [layer, next] of permutableDensePairs(modelTopology)) {
    const kernel = out.find((w) => w.name === `${layer}/kernel`);
    const nextKernel = out.find((w) => w.name === `${next}/kernel`);
    if (!kernel || !nextKernel || kernel.shape.length !== 2 || nextKernel.shape[0] !== kernel.shape[1]) continue;
    out = permuteUnits(out, layer, next, unitOrder(kernel.values, kernel.shape[0]!, kernel.shape[1]!));
  }
  return out;
}
