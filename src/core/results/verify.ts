/**
 * Verification of a claimed result against a re-run of its experiment: verified (same backend,
 * test accuracy exact on cpu/wasm and within 0.5 point on GPU backends, energy inside the claimed
 * range), differs (field by field, by how much), or could not be re-run (why).
 */
import { parseLink } from '../config/link';
import type { BackendId, ConfigIssue, ExperimentConfig } from '../config/schema';
import type { ResultSummary } from './summary';

/** Test-accuracy tolerance on GPU backends, whose reductions may sum in a different order (TFJS-NOTES.md). */
export const GPU_ACCURACY_TOLERANCE = 0.005;
const GPU_BACKENDS: readonly BackendId[] = ['webgpu', 'webgl'];

export interface FieldDifference {
  readonly field: 'backend' | 'testAccuracy' | 'energyWh' | 'steps';
  readonly claimed: string;
  readonly got: string;
  /** How far apart, in words ("+1.25 points", "12% above the claimed high end"). */
  readonly by: string;
}

export type Verification =
  | { readonly status: 'verified'; readonly notes: readonly string[] }
  | { readonly status: 'differs'; readonly differences: readonly FieldDifference[] }
  | { readonly status: 'not-rerun'; readonly reason: string };

/** The config to re-run: the experiment of the link, forced onto the backend the claim ran on. */
export function rerunConfig(summary: ResultSummary): { config: ExperimentConfig; issues: readonly ConfigIssue[] } {
  const { config, issues } = parseLink(summary.link);
  config.backend = summary.backend;
  return { config, issues };
}

const pct = (x: number | null) => (x === null ? 'none' : `${(x * 100).toFixed(2)}%`);
const wh = (x: number) => `${Number(x.toPrecision(4))} Wh`;

function accuracyDifference(claimed: ResultSummary, got: ResultSummary): FieldDifference | null {
  const a = claimed.metrics.acc;
  const b = got.metrics.acc;
  const tolerance = GPU_BACKENDS.includes(claimed.backend) ? GPU_ACCURACY_TOLERANCE : 0;
  if (a !== null && b !== null && Math.abs(a - b) <= tolerance) return null;
  if (a === null && b === null) return null;
  const by = a !== null && b !== null ? `${b >= a ? '+' : ''}${((b - a) * 100).toFixed(2)} points (tolerance ${(tolerance * 100).toFixed(1)})` : 'one of them has no accuracy';
  return { field: 'testAccuracy', claimed: pct(a), got: pct(b), by };
}

function energyDifference(claimed: ResultSummary, got: ResultSummary): FieldDifference | null {
  const c = claimed.energy;
  const g = got.energy;
  if (!c) return null;
  if (!g) return { field: 'energyWh', claimed: `${wh(c.lowWh)}-${wh(c.highWh)}`, got: 'none', by: 'the re-run has no energy estimate' };
  if (g.wh >= c.lowWh && g.wh <= c.highWh) return null;
  const by = g.wh > c.highWh ? `${(((g.wh - c.highWh) / c.highWh) * 100).toFixed(1)}% above the claimed high end` : `${(((c.lowWh - g.wh) / c.lowWh) * 100).toFixed(1)}% below the claimed low end`;
  return { field: 'energyWh', claimed: `${wh(c.lowWh)}-${wh(c.highWh)}`, got: wh(g.wh), by };
}

/** Compares a claim with its re-run. */
export function verifyRerun(claimed: ResultSummary, got: ResultSummary): Verification {
  const differences: FieldDifference[] = [];
  if (claimed.backend !== got.backend) differences.push({ field: 'backend', claimed: claimed.backend, got: got.backend, by: 'a different backend ran' });
  if (claimed.metrics.steps !== got.metrics.steps) {
    differences.push({ field: 'steps', claimed: String(claimed.metrics.steps), got: String(got.metrics.steps), by: `${got.metrics.steps - claimed.metrics.steps} steps` });
  }
  const acc = accuracyDifference(claimed, got);
  if (acc) differences.push(acc);
  const energy = energyDifference(claimed, got);
  if (energy) differences.push(energy);
  if (differences.length > 0) return { status: 'differs', differences };
  return { status: 'verified', notes: claimed.energy ? [] : ['the claim has no energy estimate, so energy was not checked'] };
}

/** One line for a verification, as the terminal and the Compare view show it. */
export function verificationText(v: Verification): string {
  if (v.status === 'verified') return `verified${v.notes.length > 0 ? ` (${v.notes.join('; ')})` : ''}`;
  if (v.status === 'not-rerun') return `could not be re-run: ${v.reason}`;
  return `differs: ${v.differences.map((d) => `${d.field} ${d.claimed} -> ${d.got} (${d.by})`).join('; ')}`;
}
