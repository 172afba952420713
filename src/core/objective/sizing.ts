/**
 * The framework's sizing decision (steps 5 and 6 of its algorithm, taken once, early in the run):
 * how many hidden neurons to keep, scored by the multi-objective loss on measured probes, and how
 * large a batch the gradient noise allows. Pure arithmetic: the worker measures, this decides.
 */
import type { ObjectiveWeights } from './objective';

/** Shares of the hidden neurons the sizing decision considers keeping, largest first. */
export const KEEP_SHARES: readonly number[] = [1, 0.75, 0.5, 0.375, 0.25, 0.1875, 0.125];

/** One candidate width, measured: the task loss of the pruned model on the probe set, and its compute. */
export interface WidthCandidate {
  /** Share of the hidden neurons kept. */
  readonly keep: number;
  /** Hidden widths after pruning. */
  readonly hidden: readonly number[];
  /** Mean cross-entropy of the pruned model (before any further training) on the probe set, nats. */
  readonly probeLoss: number;
  /** Its multiply-accumulates per example over those of the model now. */
  readonly macsRatio: number;
}

export interface ScoredCandidate extends WidthCandidate {
  /** alpha x probe loss. */
  readonly accuracyTerm: number;
  /** (beta + gamma x I / I_ref) x share of the run left x MACs ratio: energy and carbon of the rest of the run, against keeping every neuron. */
  readonly computeTerm: number;
  readonly total: number;
}

/**
 * Pressure of the energy and carbon terms at intensity `intensity`: beta + gamma x I / I_ref.
 * Dimensionless; with the default weights it is 0.5 at the reference intensity.
 */
export function computePressure(w: ObjectiveWeights, intensity: number, refIntensity: number): number {
  if (!(refIntensity > 0)) throw new RangeError('the reference intensity must be positive');
  return w.beta + (w.gamma * intensity) / refIntensity;
}

/**
 * Scores each candidate by the objective and returns them with the best (lowest total) first.
 * The energy and carbon of the rest of the run scale with its MACs (both terms are normalised by
 * keeping the model as it is, so they are E/E_ref and C/C_ref of the remaining steps); the
 * accuracy term is the probe loss, measured. `remainingShare` is the share of the run's steps left.
 */
export function rankWidths(candidates: readonly WidthCandidate[], w: ObjectiveWeights, pressure: number, remainingShare: number): ScoredCandidate[] {
  if (candidates.length === 0) throw new RangeError('no candidate widths');
  const share = Math.min(1, Math.max(0, remainingShare));
  const scored = candidates.map((c) => {
    const accuracyTerm = w.alpha * c.probeLoss;
    const computeTerm = pressure * share * c.macsRatio;
    return { ...c, accuracyTerm, computeTerm, total: accuracyTerm + computeTerm };
  });
  // Ties go to the larger model: it loses no accuracy for nothing.
  return scored.sort((a, b) => a.total - b.total || b.keep - a.keep);
}

/**
 * Hidden widths for keeping `share` of each layer's neurons, at least `minimum` each (one number
 * for every layer, or one per layer) and at least 1, never more than the layer has.
 */
export function keptWidths(widths: readonly number[], share: number, minimum: number | readonly number[] = 1): number[] {
  return widths.map((n, l) => Math.min(n, Math.max(1, typeof minimum === 'number' ? minimum : (minimum[l] ?? 1), Math.round(n * share))));
}

/** The simple gradient noise scale and the two estimates it is made of. */
export interface NoiseScale {
  /** Estimate of |G|^2, the squared norm of the true gradient. */
  readonly gradientSq: number;
  /** Estimate of tr(Sigma), the per-example gradient variance summed over parameters. */
  readonly traceSigma: number;
  /** B_simple = tr(Sigma) / |G|^2: the batch size around which larger batches stop buying fewer steps; null when the estimate is unusable. */
  readonly bSimple: number | null;
}

/**
 * The simple noise scale from squared gradient norms at two batch sizes, by the unbiased
 * estimators of McCandlish et al. 2018, "An Empirical Model of Large-Batch Training",
 * appendix A.1: |G|^2 ~ (B_big |G_big|^2 - B_small |G_small|^2) / (B_big - B_small) and
 * tr(Sigma) ~ (|G_small|^2 - |G_big|^2) / (1/B_small - 1/B_big). `smallSq` is the mean squared
 * norm over several batches of `bSmall` examples, `bigSq` that of one batch of `bBig`.
 */
export function noiseScale(smallSq: number, bigSq: number, bSmall: number, bBig: number): NoiseScale {
  if (!(bBig > bSmall) || !(bSmall > 0)) throw new RangeError('the big batch must be larger than the small one');
  const gradientSq = (bBig * bigSq - bSmall * smallSq) / (bBig - bSmall);
  const traceSigma = (smallSq - bigSq) / (1 / bSmall - 1 / bBig);
  const bSimple = gradientSq > 0 && traceSigma > 0 && Number.isFinite(gradientSq) && Number.isFinite(traceSigma) ? traceSigma / gradientSq : null;
  return { gradientSq, traceSigma, bSimple };
}

/**
 * The batch size for the rest of the run: the largest power-of-two multiple of `current` that
 * stays within B_simple and `maxBatch`. Up to B_simple a larger batch costs few extra examples
 * per unit of progress (the paper's eq. 2.11), and it does the epoch in fewer steps, so with less
 * per-step overhead. Never smaller than `current`; `current` when the noise scale is unknown.
 */
export function batchForNoise(bSimple: number | null, current: number, maxBatch: number): number {
  if (bSimple === null) return current;
  let batch = current;
  while (batch * 2 <= Math.min(bSimple, maxBatch)) batch *= 2;
  return batch;
}

/**
 * The learning rate after the sizing decision. Batch: linear for SGD and momentum, square root
 * for Adam (the controller's rule). Width, Adam only: a model narrowed by `widthRatio` (old / new
 * width) takes a step that many times larger, muP's 1/fan-in rule for Adam (Yang et al. 2022,
 * "Tensor Programs V", table 3) applied to the whole model, a simplification: the first layer's
 * fan-in does not change. Measured on MNIST (scripts/reproduce.ts): the square root of the width
 * ratio instead lost 0.4 to 0.9 points more.
 */
export function learningRateAfterSizing(lr: number, batchRatio: number, widthRatio: number, optimizer: 'sgd' | 'momentum' | 'adam'): number {
  if (optimizer !== 'adam') return lr * batchRatio;
  return lr * Math.sqrt(batchRatio) * widthRatio;
}
