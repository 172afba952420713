import type { GramsCO2PerKWh } from '../units';

/** Every carbon-intensity source the lab knows. */
export type ProviderId = 'uk-carbon-intensity' | 'electricity-maps' | 'watttime' | 'offline' | 'replay';

/**
 * Average intensity is what the grid's generation mix emits per kWh; marginal intensity is what
 * the generator that answers an extra kWh emits (WattTime's MOER). They answer different
 * questions and are not interchangeable.
 */
export type IntensitySignal = 'average' | 'marginal';

/** Where a point's value comes from. */
export type PointKind = 'actual' | 'estimated' | 'forecast' | 'annual-average' | 'recorded';

/** Grid carbon intensity over one interval of time. */
export interface IntensityPoint {
  /** Start of the interval, ms since the Unix epoch (UTC), inclusive. */
  readonly from: number;
  /** End of the interval, exclusive. */
  readonly to: number;
  readonly intensity: GramsCO2PerKWh;
  readonly kind: PointKind;
}

/** One fuel's share of generation, as the UK regional endpoints report it. */
export interface FuelShare {
  readonly fuel: string;
  /** Percentage, 0-100. */
  readonly percent: number;
}

/** A provider's answer: points in time order, never empty, with where and when they came from. */
export interface IntensitySeries {
  readonly provider: ProviderId;
  /** Machine-readable region code in the provider's own terms (`national`, `13`, `DE`, `CAISO_NORTH`, `GBR`). */
  readonly region: string;
  /** Human-readable region name. */
  readonly regionName: string;
  readonly signal: IntensitySignal;
  readonly points: readonly IntensityPoint[];
  /** When the answer was fetched (or computed), ms since the epoch, from the injected clock. */
  readonly fetchedAt: number;
  /** Attribution line naming the data source. */
  readonly source: string;
  /** Generation mix of the first point, where the source reports one. */
  readonly generationMix?: readonly FuelShare[];
  /** Set by the cache when it serves an answer older than its freshness limit. */
  readonly stale?: boolean;
}

/** Which kinds of question a provider can answer. */
export interface ProviderCapabilities {
  readonly forecast: boolean;
  readonly history: boolean;
}

/**
 * A source of grid carbon intensity. Implementations hold any credentials in a closure, never as
 * properties, so that serialising a provider or its answers cannot leak them. Every method either
 * resolves with a non-empty series or rejects with a CarbonProviderError.
 */
export interface CarbonProvider {
  readonly id: ProviderId;
  /** Provider name for people, e.g. "UK Carbon Intensity API". */
  readonly label: string;
  /** Same code as the `region` of its answers. */
  readonly region: string;
  readonly capabilities: ProviderCapabilities;
  /** The interval that contains now. */
  current(signal?: AbortSignal): Promise<IntensitySeries>;
  /** Intervals from now on, up to about 48 h where the source has them. */
  forecast(signal?: AbortSignal): Promise<IntensitySeries>;
  /** Intervals overlapping [fromMs, toMs). */
  history(fromMs: number, toMs: number, signal?: AbortSignal): Promise<IntensitySeries>;
}

/** The response surface providers read; `fetch`'s Response satisfies it, and so do test fakes. */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * The request shape providers send; global `fetch` satisfies it. `redirect: 'error'` and
 * `credentials: 'omit'`: a key or token sent to a provider must never follow a redirect to another
 * address, and no cookie of another site rides along (issue 12, item 15).
 */
export type FetchLike = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal; redirect: 'error'; credentials: 'omit' },
) => Promise<FetchResponse>;

/** What every network provider is given: injected so tests can hand in fakes. */
export interface ProviderDeps {
  readonly fetch: FetchLike;
  /** Clock, ms since the epoch. */
  readonly now: () => number;
  /** Overrides the provider's public base URL, e.g. to point at a local fake server. */
  readonly baseUrl?: string;
  /** Per-request time limit; defaults to DEFAULT_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/** Time limit for one request unless a provider is told otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** What went wrong, in categories the UI can act on. */
export type ProviderErrorKind =
  | 'offline'
  | 'timeout'
  | 'aborted'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'server'
  | 'bad-request'
  | 'not-found'
  | 'malformed'
  | 'unsupported'
  | 'no-data'
  | 'internal';

/** The fallback every failure leads to, in the words shown to the user. */
export const FALLBACK_SENTENCE = 'The lab now uses the offline annual average for your country instead.';

const WHAT_HAPPENED: Readonly<Record<ProviderErrorKind, string>> = {
  offline: 'could not be reached (the network looks offline, or the request was blocked)',
  timeout: 'did not answer in time',
  aborted: 'request was cancelled',
  unauthorized: 'rejected the credentials (check the API key, username or password)',
  forbidden: 'refused access (the key may not cover this region or endpoint)',
  'rate-limited': 'asked us to slow down (too many requests)',
  server: 'had a server error',
  'bad-request': 'rejected the request (check the region, zone or postcode)',
  'not-found': 'has no data at that address (check the region, zone or postcode)',
  malformed: 'sent an answer the lab could not read',
  unsupported: 'does not offer this kind of data',
  'no-data': 'had no intensity values for that time',
  internal: 'failed unexpectedly',
};

/**
 * A provider failure with a message fit to show the user: which provider, what happened and which
 * fallback applies. Messages never contain credentials, URLs or raw response bodies.
 */
export class CarbonProviderError extends Error {
  override readonly name = 'CarbonProviderError';

  constructor(
    readonly provider: ProviderId,
    readonly providerLabel: string,
    readonly kind: ProviderErrorKind,
    options: {
      /** HTTP status, where there was a response. */
      readonly status?: number | null;
      /** How long the provider asked us to wait, from Retry-After. */
      readonly retryAfterMs?: number | null;
      /** Short extra detail, already free of secrets. */
      readonly detail?: string;
    } = {},
  ) {
    const status = options.status ?? null;
    const retry = options.retryAfterMs ?? null;
    const parts = [`${providerLabel} ${WHAT_HAPPENED[kind]}${status === null ? '' : ` (HTTP ${status})`}.`];
    if (options.detail !== undefined && options.detail !== '') parts.push(options.detail.endsWith('.') ? options.detail : `${options.detail}.`);
    if (kind === 'rate-limited' && retry !== null) parts.push(`It asked to wait ${Math.ceil(retry / 1000)} s before trying again.`);
    if (kind !== 'aborted') parts.push(FALLBACK_SENTENCE);
    super(parts.join(' '));
    this.status = status;
    this.retryAfterMs = retry;
  }

  readonly status: number | null;
  readonly retryAfterMs: number | null;
}

/** Whether a value is a CarbonProviderError (also across realms, by name and shape). */
export const isProviderError = (e: unknown): e is CarbonProviderError =>
  e instanceof CarbonProviderError ||
  (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'CarbonProviderError' && 'kind' in e);
