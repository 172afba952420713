/**
 * The network drawn: neurons in columns, connections coloured by sign and as thick as their
 * weight. Pruned (zero) weights have no line, so pruning shows as connections disappearing.
 */

export interface NetworkNode {
  readonly layer: number;
  readonly index: number;
  /** 0..1 across and down the drawing. */
  readonly x: number;
  readonly y: number;
}

export interface NetworkEdge {
  readonly from: number;
  readonly to: number;
  /** The weight; its sign gives the colour. */
  readonly weight: number;
  /** Line width in drawing units, from the weight's size against the largest drawn. */
  readonly width: number;
}

export interface NetworkDrawing {
  readonly nodes: readonly NetworkNode[];
  readonly edges: readonly NetworkEdge[];
  /** Neurons per layer that were not drawn (layers wider than the drawing shows). */
  readonly hidden: readonly number[];
  /** Non-zero weights in the drawn part, and all weights there. */
  readonly nonZero: number;
  readonly total: number;
}

/** At most this many neurons a layer are drawn (the rest are counted). */
export const MAX_DRAWN_NEURONS = 16;
/** At most this many connections are drawn, the largest weights first. */
export const MAX_DRAWN_EDGES = 1500;

/**
 * Lays out a dense network. `kernels[l]` is the (in x out) kernel of layer l, row-major, with
 * `sizes[l]` inputs and `sizes[l + 1]` outputs.
 */
export function drawNetwork(sizes: readonly number[], kernels: readonly ArrayLike<number>[]): NetworkDrawing {
  const shown = sizes.map((s) => Math.min(s, MAX_DRAWN_NEURONS));
  const first: number[] = [];
  const nodes: NetworkNode[] = [];
  shown.forEach((count, layer) => {
    first.push(nodes.length);
    for (let i = 0; i < count; i++) nodes.push({ layer, index: i, x: sizes.length > 1 ? layer / (sizes.length - 1) : 0.5, y: (i + 0.5) / count });
  });
  const candidates: { from: number; to: number; weight: number }[] = [];
  let nonZero = 0, total = 0;
  kernels.forEach((k, l) => {
    const outs = sizes[l + 1] as number;
    for (let i = 0; i < (shown[l] as number); i++) {
      for (let j = 0; j < (shown[l + 1] as number); j++) {
        const w = k[i * outs + j] as number;
        total++;
        if (w !== 0) {
          nonZero++;
          candidates.push({ from: (first[l] as number) + i, to: (first[l + 1] as number) + j, weight: w });
        }
      }
    }
  });
  candidates.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const kept = candidates.slice(0, MAX_DRAWN_EDGES);
  const largest = Math.abs(kept[0]?.weight ?? 1) || 1;
  const edges = kept.map((e) => ({ ...e, width: 0.3 + 2.7 * (Math.abs(e.weight) / largest) }));
  return { nodes, edges, hidden: sizes.map((s, i) => s - (shown[i] as number)), nonZero, total };
}
