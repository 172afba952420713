import type { ExperimentConfig } from '../config/schema';
import { fallbackCountryFor, type RegionChoice, type RegionDefault } from '../carbon/regions';
import { CarbonProviderError, type CarbonProvider, type FetchLike } from '../carbon/provider';
import { createUkCarbonIntensityProvider, outwardPostcode, type UkArea } from '../carbon/providers/uk-carbon-intensity';
import { createElectricityMapsProvider } from '../carbon/providers/electricity-maps';
import { createWattTimeProvider } from '../carbon/providers/watttime';
import { createOfflineProvider } from '../carbon/providers/offline';
import { createReplayProvider, type ReplaySegment } from '../carbon/providers/replay';
import type { Trace } from '../trace/types';

/** Credentials the user typed. Held by the page only; never in a config, link, result or export. */
export interface ProviderCredentials {
  readonly electricityMapsKey: string;
  readonly wattTimeUsername: string;
  readonly wattTimePassword: string;
}

export const NO_CREDENTIALS: ProviderCredentials = { electricityMapsKey: '', wattTimeUsername: '', wattTimePassword: '' };

/**
 * Provider addresses, a browser setting rather than part of the experiment: a shared link that
 * could set them could send the user's key to any server. '' means the public API.
 */
export interface ProviderBaseUrls {
  readonly ukCarbonIntensity: string;
  readonly electricityMaps: string;
  readonly wattTime: string;
}

export const DEFAULT_BASE_URLS: ProviderBaseUrls = { ukCarbonIntensity: '', electricityMaps: '', wattTime: '' };

/** Whether a base URL is one the lab will send requests to: empty (the default) or http(s). */
export const isUsableBaseUrl = (url: string): boolean => url === '' || /^https?:\/\/[^\s]+$/i.test(url);

/** Bundled traces under public/traces/, playable by the replay source. */
export const BUNDLED_TRACES: readonly { readonly name: string; readonly label: string }[] = [
  { name: 'us-ciso-2022', label: 'California ISO, 2022 (hourly, strong midday solar dip)' },
  { name: 'us-pjm-2022', label: 'PJM mid-Atlantic, 2022 (hourly, flat coal/gas/nuclear)' },
];

/** A region code for the UK API: national, a region id 1-17, or an outward postcode. */
function ukArea(region: string): UkArea {
  const text = region.trim();
  if (text === '' || text.toLowerCase() === 'national') return { kind: 'national' };
  if (/^\d{1,2}$/.test(text)) return { kind: 'region', regionId: Number(text) };
  return { kind: 'postcode', postcode: outwardPostcode(text) ?? text };
}

/** The provider and region a config asks for; 'auto' takes the browser's default. Pure. */
export function regionChoiceFor(carbon: ExperimentConfig['carbon'], browserDefault: RegionDefault): RegionChoice {
  const region = carbon.region.trim();
  switch (carbon.source) {
    case 'auto':
      return browserDefault.choice;
    case 'offline':
      return { provider: 'offline', country: region === '' ? browserDefault.fallbackCountry : region.toUpperCase() };
    case 'uk-carbon-intensity':
      return { provider: 'uk-carbon-intensity', area: ukArea(region) };
    case 'electricity-maps':
      return { provider: 'electricity-maps', zone: region === '' ? 'DE' : region };
    case 'watttime':
      return { provider: 'watttime', region: region === '' ? 'CAISO_NORTH' : region };
    case 'replay':
      return { provider: 'replay', traceName: region === '' ? (BUNDLED_TRACES[0]?.name ?? 'upload') : region };
  }
}

/** What building a provider needs besides the choice. */
export interface ProviderContext {
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly baseUrls: ProviderBaseUrls;
  readonly credentials: ProviderCredentials;
  /** The parsed trace for a replay choice; null if it could not be loaded. */
  readonly trace: Trace | null;
  readonly replaySpeed: number;
  /** Trace time the replay starts at (default: the trace's first point). */
  readonly replayStartMs?: number;
  /** Earlier stretches of the replay's clock, for a run continued after a reload (see `ReplayOptions.earlier`). */
  readonly replayEarlier?: readonly ReplaySegment[];
  readonly timeoutMs?: number;
}

const base = (url: string): string | undefined => (url.trim() === '' ? undefined : url.trim());

/**
 * The provider for a choice, and the offline provider to fall back to. Never throws: a choice
 * that cannot be built (no key, a bad region, no trace) becomes a provider whose every answer is
 * that CarbonProviderError, so `withFallback` reports it like any other failure.
 */
export function providersFor(
  choice: RegionChoice,
  browserDefault: RegionDefault,
  ctx: ProviderContext,
): { readonly primary: CarbonProvider; readonly fallback: CarbonProvider } {
  const fallback = createOfflineProvider({ country: fallbackCountryFor(choice, browserDefault), now: ctx.now });
  const deps = { fetch: ctx.fetch, now: ctx.now, timeoutMs: ctx.timeoutMs };
  try {
    switch (choice.provider) {
      case 'offline':
        return { primary: createOfflineProvider({ country: choice.country, now: ctx.now }), fallback };
      case 'uk-carbon-intensity':
        return { primary: createUkCarbonIntensityProvider({ ...deps, area: choice.area, baseUrl: base(ctx.baseUrls.ukCarbonIntensity) }), fallback };
      case 'electricity-maps':
        return {
          primary: createElectricityMapsProvider({ ...deps, zone: choice.zone, apiKey: ctx.credentials.electricityMapsKey, baseUrl: base(ctx.baseUrls.electricityMaps) }),
          fallback,
        };
      case 'watttime':
        return {
          primary: createWattTimeProvider({
            ...deps, region: choice.region, username: ctx.credentials.wattTimeUsername, password: ctx.credentials.wattTimePassword,
            baseUrl: base(ctx.baseUrls.wattTime),
          }),
          fallback,
        };
      case 'replay':
        if (ctx.trace === null) throw new CarbonProviderError('replay', 'Recorded trace', 'no-data', { detail: `The trace "${choice.traceName}" could not be loaded` });
        return {
          primary: createReplayProvider({
            trace: ctx.trace, now: ctx.now, speed: ctx.replaySpeed, earlier: ctx.replayEarlier ?? [],
            ...(ctx.replayStartMs === undefined ? {} : { traceStartMs: ctx.replayStartMs }),
          }),
          fallback,
        };
    }
  } catch (e) {
    const error = e instanceof CarbonProviderError ? e : new CarbonProviderError(choice.provider, choice.provider, 'internal');
    return { primary: failingProvider(error), fallback };
  }
}

/** A provider that answers every question with one error. */
function failingProvider(error: CarbonProviderError): CarbonProvider {
  const fail = () => Promise.reject(error);
  return {
    id: error.provider, label: error.providerLabel, region: '', capabilities: { forecast: false, history: false },
    current: fail, forecast: fail, history: fail,
  };
}
