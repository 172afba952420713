/**
 * The sizing decision's pure parts: which widths it measures (the candidates) and what it writes
 * to the run log. The worker (workers/framework.ts) measures the candidates on the device and
 * calls `rankWidths` (./sizing.ts); this file knows nothing of tensors.
 */
import { KEEP_SHARES, keptWidths, type NoiseScale, type ScoredCandidate } from './sizing';

/** What a run-log line says: what changed and why. */
export interface DecisionLine {
  readonly what: string;
  readonly why: string;
}

/**
 * Per hidden layer, how many neurons the penalty left alive: those whose incoming-weight norm is
 * at least `shrinkBelow` of the layer's largest, and at least one.
 */
export function aliveWidths(norms: readonly ArrayLike<number>[], shrinkBelow: number): number[] {
  return norms.map((layer) => {
    const values = Array.from(layer);
    const max = values.reduce((a, b) => Math.max(a, b), 0);
    return Math.max(1, values.filter((n) => n >= shrinkBelow * max).length);
  });
}

/** One width the decision measures: its hidden sizes and the share of today's neurons they keep. */
export interface WidthChoice {
  readonly hidden: readonly number[];
  readonly keep: number;
}

/**
 * The widths the sizing decision measures, largest first, each once: for each share of KEEP_SHARES
 * not under `minKeep` (and always 1), that share of the alive neurons of each layer, never under
 * `minKeep` of the layer's width `widths[l]` nor 1, never more than alive.
 */
export function widthCandidates(widths: readonly number[], alive: readonly number[], minKeep: number): WidthChoice[] {
  const total = widths.reduce((a, b) => a + b, 0);
  const floor = widths.map((n) => Math.max(1, Math.ceil(n * minKeep)));
  const seen = new Set<string>();
  const choices: WidthChoice[] = [];
  for (const share of KEEP_SHARES.filter((s) => s >= minKeep || s === 1)) {
    const hidden = keptWidths(alive, share, floor);
    const key = hidden.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    choices.push({ hidden, keep: hidden.reduce((a, b) => a + b, 0) / total });
  }
  return choices;
}

/** The run-log line of the width decision: the chosen widths and every candidate's score. */
export function widthLine(widths: readonly number[], ranked: readonly ScoredCandidate[], removed: boolean, pressure: number, remainingShare: number): DecisionLine {
  const best = ranked[0];
  if (!best) throw new RangeError('no ranked candidates');
  const table = ranked
    .slice()
    .sort((a, b) => b.keep - a.keep)
    .map((c) => `${c.hidden.join(',')}: ${c.accuracyTerm.toFixed(3)} + ${c.computeTerm.toFixed(3)} = ${c.total.toFixed(3)}`)
    .join('; ');
  return {
    what: removed ? `hidden neurons ${widths.join(',')} -> ${best.hidden.join(',')}` : `hidden neurons kept at ${widths.join(',')}`,
    why: `lowest objective alpha x probe loss + (beta + gamma x I/I_ref = ${pressure.toFixed(3)}) x ${Math.round(remainingShare * 100)}% of the run left x MACs ratio, over the most important neurons (incoming x outgoing weight norm): ${table}`,
  };
}

/** The run-log line of the batch decision from the measured gradient noise. */
export function batchLine(noise: NoiseScale, from: number, to: number, maxBatch: number): DecisionLine {
  return {
    what: to === from ? `batch size kept at ${to}` : `batch size ${from} -> ${to}`,
    why:
      noise.bSimple === null
        ? 'the gradient noise scale could not be estimated from the probe batches'
        : `the gradient noise scale B_simple is about ${Math.round(noise.bSimple)} examples (McCandlish et al. 2018): batches up to it learn nearly as much per example in fewer, cheaper steps (at most ${maxBatch})`,
  };
}

/** The run-log line of the learning rate that follows the batch and width. */
export function learningRateLine(from: number, to: number, optimizer: 'sgd' | 'momentum' | 'adam'): DecisionLine {
  return {
    what: `learning rate ${from.toPrecision(3)} -> ${to.toPrecision(3)}`,
    why: optimizer === 'adam' ? 'Adam: square root of the batch ratio, times the width ratio (a narrower model takes larger steps)' : 'linear in the batch ratio (SGD)',
  };
}

/**
 * Epochs at which the batch size is looked at again after a sizing decision taken `shrinkAfter`
 * epochs in: twice as far in each time (2x, 4x, 8x ... the decision's position), while at least as
 * much of the run is left as is done (at most half of `epochs` in): a look costs about
 * NOISE_BATCHES gradient passes, and what a larger batch saves scales with the steps left. The
 * gradient noise scale grows as the loss falls (McCandlish et al. 2018, section 3.3), so a
 * decision taken a few hundred examples in sees a small B_simple; these later looks let the batch
 * follow it up.
 */
export function batchRecheckEpochs(shrinkAfter: number, epochs: number): number[] {
  const at: number[] = [];
  if (!(shrinkAfter > 0)) return at;
  for (let e = shrinkAfter * 2; e <= epochs / 2; e *= 2) at.push(e);
  return at;
}
