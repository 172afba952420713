import { redact } from '../http';
import { CarbonProviderError, type IntensityPoint, type ProviderId } from '../provider';
import { ShapeError } from './shape';

/**
 * Run a parser; a ShapeError becomes a `malformed` provider error naming the wrong field. The
 * detail may quote a value from the answer, so the provider's secrets are redacted from it.
 */
export function parseOrFail<T>(provider: ProviderId, label: string, parse: () => T, secrets: readonly string[] = []): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ShapeError) {
      throw new CarbonProviderError(provider, label, 'malformed', { detail: `Expected ${redact(e.message, secrets).slice(0, 200)}` });
    }
    throw e;
  }
}

/** The points, sorted by start time; throws `no-data` when there are none, never returning zeros instead. */
export function requirePoints(provider: ProviderId, label: string, points: readonly IntensityPoint[]): readonly IntensityPoint[] {
  if (points.length === 0) throw new CarbonProviderError(provider, label, 'no-data');
  return [...points].sort((a, b) => a.from - b.from);
}

/** The point whose interval contains `time`, else the last one starting before it, else the first. */
export function pointAt(points: readonly IntensityPoint[], time: number): IntensityPoint | undefined {
  let before: IntensityPoint | undefined;
  for (const p of points) {
    if (p.from <= time && time < p.to) return p;
    if (p.from <= time) before = p;
  }
  return before ?? points[0];
}

/** Reject a second argument order mistake early. */
export function checkRange(provider: ProviderId, label: string, fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new CarbonProviderError(provider, label, 'bad-request', { detail: 'The history range must have its end after its start' });
  }
}
