/**
 * Verification of a claimed result against a re-run of its experiment: verified (same backend,
 * test accuracy exact on cpu/wasm and within 0.5 point on GPU backends, energy consistent with the
 * claimed range: its mean power over the metered steps, see `energyCheck`), differs (field by
 * field, by how much), or could not be re-run (why).
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

type SummaryEnergy = NonNullable<ResultSummary['energy']>;
/** An energy check: the difference, if any, and what the verdict should say about how it was made. */
interface EnergyCheck {
  readonly difference: FieldDifference | null;
  readonly notes: readonly string[];
}

const watts = (x: number) => `${Number(x.toPrecision(3))} W`;
const duration = (seconds: number) => (seconds < 1 ? `${Number((seconds * 1000).toPrecision(3))} ms` : `${Number(seconds.toPrecision(3))} s`);
/** Mean power of an energy over its metered seconds, at the low and high ends of the profile's range. */
const powerRange = (e: SummaryEnergy, seconds: number) => ({ low: (e.lowWh * 3600) / seconds, high: (e.highWh * 3600) / seconds });

/** The rule for links without metered seconds (made before they carried them): the re-run's energy inside the claimed range. */
function energyAsWhole(c: SummaryEnergy, g: SummaryEnergy): EnergyCheck {
  const notes = [`${c.s === undefined ? 'the claim carries no metered time (an older link)' : 'the re-run metered no time'}, so its energy was compared as a whole`];
  if (g.wh >= c.lowWh && g.wh <= c.highWh) return { difference: null, notes };
  const by = g.wh > c.highWh ? `${(((g.wh - c.highWh) / c.highWh) * 100).toFixed(1)}% above the claimed high end` : `${(((c.lowWh - g.wh) / c.lowWh) * 100).toFixed(1)}% below the claimed low end`;
  return { difference: { field: 'energyWh', claimed: `${wh(c.lowWh)}-${wh(c.highWh)}`, got: wh(g.wh), by }, notes };
}

/**
 * Energy is power x the metered time of the steps. The claimed range spans only what is unknown
 * about the hardware (which watts this device draws); it says nothing about time. The time the
 * same steps take is not a property of the experiment but of the machine's state at that moment:
 * a fresh worker's JIT warm-up, garbage collection, other programs. The Compare e2e's 7-step cpu
 * run metered 27 ms in a warm worker and 232 ms in a fresh page (8.6x, idle machine, one-off probe
 * of the page's step records), at the same mean power; no fixed tolerance on Wh tells that from a
 * false claim. So a re-run checks what it can reproduce, the mean power (energy over metered
 * time), as a range against a range: the claim holds when some power inside the claimed range is
 * also inside the re-run's (the same unknown device watts can explain both). Not the re-run's
 * typical inside the claimed range: that range's low end can sit at its typical (the small-laptop
 * CPU row's low and typical maxima are both 15 W), so a re-run whose loop waited 0.3% more of a
 * step would fall below it. Both times are named in a note; the field still reads `energyWh`.
 */
function energyCheck(c: SummaryEnergy, g: SummaryEnergy): EnergyCheck {
  if (!(c.s !== undefined && c.s > 0 && g.s !== undefined && g.s > 0)) return energyAsWhole(c, g);
  const claimed = powerRange(c, c.s);
  const got = powerRange(g, g.s);
  const times = `its steps took ${duration(g.s)} here against ${duration(c.s)} claimed (time varies with warm-up and load, so it is not checked)`;
  const described = (e: SummaryEnergy, p: { low: number; high: number }, seconds: number) => `${wh(e.lowWh)}-${wh(e.highWh)} in ${duration(seconds)} (${watts(p.low)}-${watts(p.high)})`;
  if (got.high >= claimed.low && got.low <= claimed.high) return { difference: null, notes: [`energy checked as mean power: ${watts(got.low)}-${watts(got.high)} here, ${watts(claimed.low)}-${watts(claimed.high)} claimed; ${times}`] };
  const by = got.low > claimed.high ? `mean power ${(((got.low - claimed.high) / claimed.high) * 100).toFixed(1)}% above the claimed range` : `mean power ${(((claimed.low - got.high) / claimed.low) * 100).toFixed(1)}% below the claimed range`;
  return { difference: { field: 'energyWh', claimed: described(c, claimed, c.s), got: described(g, got, g.s), by }, notes: [] };
}

function energyDifference(claimed: ResultSummary, got: ResultSummary): EnergyCheck {
  const c = claimed.energy;
  const g = got.energy;
  if (!c) return { difference: null, notes: ['the claim has no energy estimate, so energy was not checked'] };
  if (!g) return { difference: { field: 'energyWh', claimed: `${wh(c.lowWh)}-${wh(c.highWh)}`, got: 'none', by: 'the re-run has no energy estimate' }, notes: [] };
  return energyCheck(c, g);
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
  if (energy.difference) differences.push(energy.difference);
  if (differences.length > 0) return { status: 'differs', differences };
  return { status: 'verified', notes: energy.notes };
}

/** One line for a verification, as the terminal and the Compare view show it. */
export function verificationText(v: Verification): string {
  if (v.status === 'verified') return `verified${v.notes.length > 0 ? ` (${v.notes.join('; ')})` : ''}`;
  if (v.status === 'not-rerun') return `could not be re-run: ${v.reason}`;
  return `differs: ${v.differences.map((d) => `${d.field} ${d.claimed} -> ${d.got} (${d.by})`).join('; ')}`;
}
