import { CarbonProviderError, isProviderError, type CarbonProvider, type IntensitySeries } from './provider';

/** An answer and, when the fallback gave it, why. */
export interface FallbackOutcome {
  readonly series: IntensitySeries;
  /** True when the primary provider failed and the fallback answered. */
  readonly usedFallback: boolean;
  /** The primary's failure, or null. */
  readonly error: CarbonProviderError | null;
  /** A sentence for the user: what failed and what is used now; null when nothing failed. */
  readonly notice: string | null;
}

/**
 * Ask the primary provider; if it fails for any reason other than the caller cancelling, ask the
 * fallback (normally the offline country average) and say so. Never resolves with nothing and
 * never hides a failure: `notice` carries the primary's message and names the fallback used.
 * Rejects only if the caller aborted or the fallback itself fails.
 */
export async function withFallback(
  primary: CarbonProvider,
  fallback: CarbonProvider,
  ask: (provider: CarbonProvider) => Promise<IntensitySeries>,
): Promise<FallbackOutcome> {
  try {
    return { series: await ask(primary), usedFallback: false, error: null, notice: null };
  } catch (e) {
    const error = isProviderError(e) ? e : new CarbonProviderError(primary.id, primary.label, 'internal');
    if (error.kind === 'aborted') throw error;
    const series = await ask(fallback);
    const notice = `${error.message} Now using: ${series.regionName}, ${series.source}.`;
    return { series, usedFallback: true, error, notice };
  }
}
