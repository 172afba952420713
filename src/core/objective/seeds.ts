/**
 * Figures over several seeds (issue 16: "report the mean and the spread over at least 3 seeds"):
 * the mean, the smallest and largest value, and the sample standard deviation.
 */

export interface Spread {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
  readonly sd: number;
  readonly n: number;
}

/** The mean and spread of `values`; throws on an empty list or a value that is not finite. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('no values to summarise');
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new RangeError(`a value to summarise is not a finite number: ${bad}`);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, min: Math.min(...values), max: Math.max(...values), sd, n };
}

/** `count` seeds counting up from `first`: the seeds a multi-seed experiment trains with. */
export function seedList(first: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`the number of seeds must be a whole number of at least 1, not ${count}`);
  return Array.from({ length: count }, (_, i) => first + i);
}
