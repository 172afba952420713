/** What the model gets wrong: the confusion matrix of a test split and the examples in each cell. */

export interface Confusion {
  readonly numClasses: number;
  /** counts[actual * numClasses + predicted]. */
  readonly counts: Uint32Array;
  /** Test example indices per cell, at most `perCell` each, in test order. */
  readonly examples: readonly (readonly number[])[];
  readonly accuracy: number;
}

/** Builds the matrix from true labels and predicted classes of the same examples. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number, perCell = 32): Confusion {
  if (actual.length !== predicted.length) throw new Error(`confusionMatrix: ${actual.length} labels but ${predicted.length} predictions`);
  const counts = new Uint32Array(numClasses * numClasses);
  const examples: number[][] = Array.from({ length: numClasses * numClasses }, () => []);
  let right = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number, p = predicted[i] as number;
    if (a < 0 || a >= numClasses || p < 0 || p >= numClasses) continue;
    const cell = a * numClasses + p;
    counts[cell] = (counts[cell] as number) + 1;
    if ((examples[cell] as number[]).length < perCell) (examples[cell] as number[]).push(i);
    if (a === p) right++;
  }
  return { numClasses, counts, examples, accuracy: actual.length ? right / actual.length : 0 };
}

/** The off-diagonal cells, largest first: the mistakes worth looking at. */
export function worstConfusions(c: Confusion, limit = 5): { actual: number; predicted: number; count: number }[] {
  const out: { actual: number; predicted: number; count: number }[] = [];
  for (let a = 0; a < c.numClasses; a++) {
    for (let p = 0; p < c.numClasses; p++) {
      const count = c.counts[a * c.numClasses + p] as number;
      if (a !== p && count > 0) out.push({ actual: a, predicted: p, count });
    }
  }
  return out.sort((x, y) => y.count - x.count || x.actual - y.actual).slice(0, limit);
}

/** Predicted class of each row of logits or probabilities (row-major, `numClasses` a row). */
export function argmaxRows(scores: ArrayLike<number>, numClasses: number): Uint8Array {
  const n = Math.floor(scores.length / numClasses);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < numClasses; k++) if ((scores[i * numClasses + k] as number) > (scores[i * numClasses + best] as number)) best = k;
    out[i] = best;
  }
  return out;
}
