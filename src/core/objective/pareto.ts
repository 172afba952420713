/** The Pareto front of runs that trade accuracy (higher is better) against carbon (lower is better). */

export interface TradeOffPoint {
  readonly accuracy: number;
  readonly cost: number;
}

/** Whether `a` is at least as good as `b` on both axes and strictly better on one. */
export function dominates(a: TradeOffPoint, b: TradeOffPoint): boolean {
  return a.accuracy >= b.accuracy && a.cost <= b.cost && (a.accuracy > b.accuracy || a.cost < b.cost);
}

/**
 * Indices of the points no other point dominates, sorted by cost (cheapest first).
 * Duplicates of a front point are all on the front. O(n log n): sort by cost, then keep each point
 * whose accuracy beats every cheaper point's.
 */
export function paretoFront(points: readonly TradeOffPoint[]): number[] {
  const order = points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => Number.isFinite(p.accuracy) && Number.isFinite(p.cost))
    .sort((a, b) => a.p.cost - b.p.cost || b.p.accuracy - a.p.accuracy);
  const front: number[] = [];
  let best = -Infinity;
  let bestCost = Number.NaN;
  for (const { p, i } of order) {
    if (p.accuracy > best || (p.accuracy === best && p.cost === bestCost)) {
      front.push(i);
      if (p.accuracy > best) bestCost = p.cost;
      best = Math.max(best, p.accuracy);
    }
  }
  return front;
}
