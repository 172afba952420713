import { CarbonProviderError, isProviderError, type CarbonProvider, type IntensitySeries } from './provider';

/** How long answers stay fresh, per kind of question. */
export interface CacheTtl {
  readonly current: number;
  readonly forecast: number;
  readonly history: number;
}

/**
 * Default freshness. The UK API and most grids publish half-hourly or hourly values and WattTime
 * every 5 minutes; asking more often than every 5-15 minutes only spends rate limit.
 */
export const DEFAULT_CACHE_TTL: CacheTtl = { current: 5 * 60_000, forecast: 15 * 60_000, history: 60 * 60_000 };

/** Wait after a 429 that carried no Retry-After header. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** One cached answer, as `entries()` lists it. Keys name provider, region and question, never a credential. */
export interface CacheEntry {
  readonly key: string;
  readonly fetchedAt: number;
  readonly series: IntensitySeries;
}

/** A provider with a cache in front of it. */
export interface CachedProvider extends CarbonProvider {
  /** Forget every answer and any rate-limit pause. */
  clear(): void;
  /** The cached answers, for inspection and tests. */
  entries(): readonly CacheEntry[];
  /** Until when the provider asked us to stop (ms since the epoch), or null. */
  pausedUntil(): number | null;
}

/**
 * Wrap a provider so that repeated questions are answered from memory while fresh, identical
 * questions in flight share one request, and after a 429 no request is sent until the
 * Retry-After time has passed. While paused it serves the last answer, marked `stale`, if it has
 * one; otherwise it throws the rate-limit error again without touching the network. Callers
 * sharing an in-flight request share its outcome, cancellation included.
 */
export function cachedProvider(
  inner: CarbonProvider,
  options: { readonly now: () => number; readonly ttl?: Partial<CacheTtl> },
): CachedProvider {
  const ttl: CacheTtl = { ...DEFAULT_CACHE_TTL, ...options.ttl };
  const store = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<IntensitySeries>>();
  let paused: { until: number } | null = null;

  const ask = (key: string, maxAge: number, call: () => Promise<IntensitySeries>): Promise<IntensitySeries> => {
    const now = options.now();
    const hit = store.get(key);
    if (hit !== undefined && now - hit.fetchedAt < maxAge) return Promise.resolve(hit.series);
    if (paused !== null && now < paused.until) {
      if (hit !== undefined) return Promise.resolve({ ...hit.series, stale: true });
      const waitMs = paused.until - now;
      return Promise.reject(new CarbonProviderError(inner.id, inner.label, 'rate-limited', { status: 429, retryAfterMs: waitMs }));
    }
    const pending = inFlight.get(key);
    if (pending !== undefined) return pending;
    const request = call()
      .then((series) => {
        store.set(key, { key, fetchedAt: options.now(), series });
        return series;
      })
      .catch((e: unknown) => {
        if (isProviderError(e) && e.kind === 'rate-limited') {
          paused = { until: options.now() + (e.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS) };
          if (hit !== undefined) return { ...hit.series, stale: true };
        }
        throw e;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, request);
    return request;
  };

  const prefix = `${inner.id}|${inner.region}`;
  return {
    id: inner.id,
    label: inner.label,
    region: inner.region,
    capabilities: inner.capabilities,
    current: (signal) => ask(`${prefix}|current`, ttl.current, () => inner.current(signal)),
    forecast: (signal) => ask(`${prefix}|forecast`, ttl.forecast, () => inner.forecast(signal)),
    history: (fromMs, toMs, signal) => ask(`${prefix}|history|${fromMs}|${toMs}`, ttl.history, () => inner.history(fromMs, toMs, signal)),
    clear() {
      store.clear();
      paused = null;
    },
    entries: () => [...store.values()],
    pausedUntil: () => paused?.until ?? null,
  };
}
