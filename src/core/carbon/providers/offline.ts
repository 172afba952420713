import { averageIntensity } from '@tgwf/co2/data';
import { gramsPerKWh, type GramsCO2PerKWh } from '../../units';
import { checkRange } from './common';
import type { CarbonProvider, IntensityPoint, IntensitySeries } from '../provider';
import { ALPHA3_BY_ALPHA2 } from '../region-data';

const ID = 'offline';
const LABEL = 'Offline annual average';

/**
 * Ember's yearly average grid intensity per country, as packaged in @tgwf/co2 0.19.0
 * (`averageIntensity` from its `./data` export; data licensed CC BY-SA 4.0 by Ember). Each country
 * carries its latest year in Ember's data explorer. Bundled: it needs no network.
 */
export const OFFLINE_SOURCE = 'Ember annual average grid intensity, via @tgwf/co2 0.19.0 (CC BY-SA 4.0)';

/** The aggregate used when a country is unknown or has no usable value. */
export const WORLD = 'WORLD';

const FORECAST_WINDOW_MS = 48 * 3_600_000;

/** Kosovo's user-assigned codes (XK / XKX), which ISO 3166-1 does not list but Ember does. */
const EXTRA_ALPHA2: Readonly<Record<string, string>> = { XK: 'XKX' };

/** An annual average and what it stands for. */
export interface AnnualAverage {
  /** The key used in the data: alpha-3 country code or aggregate name such as WORLD or EU. */
  readonly code: string;
  readonly intensity: GramsCO2PerKWh;
  /** True when the requested code had no usable value and the world average stands in. */
  readonly substituted: boolean;
}

/** Every code in the data with its value, for pickers. */
export const annualAverageCodes = (): readonly string[] => Object.keys(averageIntensity.data);

/** Alpha-3 code for an alpha-2 one (`GB` -> `GBR`), or null if the data has no such country. */
export const alpha3FromAlpha2 = (alpha2: string): string | null =>
  ALPHA3_BY_ALPHA2[alpha2.toUpperCase()] ?? EXTRA_ALPHA2[alpha2.toUpperCase()] ?? null;

/**
 * The annual average for a country given as ISO alpha-2, alpha-3 or an aggregate name (`WORLD`,
 * `EU`). Unknown codes, and values of zero or below (no grid has truly zero lifecycle intensity;
 * such entries are data gaps), give the world average with `substituted` set.
 */
export function annualAverage(country: string): AnnualAverage {
  const wanted = country.trim().toUpperCase();
  const code = wanted.length === 2 ? (alpha3FromAlpha2(wanted) ?? wanted) : wanted;
  const value = averageIntensity.data[code];
  if (value !== undefined && Number.isFinite(value) && value > 0) return { code, intensity: gramsPerKWh(value), substituted: false };
  const world = averageIntensity.data[WORLD] ?? 0;
  return { code: WORLD, intensity: gramsPerKWh(world), substituted: true };
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  } catch {
    return null;
  }
})();

/** A readable name for a data code: a country name where the runtime knows one, else the aggregate in title case. */
export function averageCodeName(code: string): string {
  const alpha2 = Object.entries(ALPHA3_BY_ALPHA2).find(([, a3]) => a3 === code)?.[0] ?? (code === 'XKX' ? 'XK' : undefined);
  if (alpha2 !== undefined) {
    try {
      const name = regionNames?.of(alpha2);
      if (name !== undefined && name !== alpha2) return name;
    } catch {
      // fall through to the code itself
    }
    return code;
  }
  return code === 'EU' ? 'European Union' : code.toLowerCase().replace(/(^|\s)\S/g, (c) => c.toUpperCase());
}

/**
 * A provider that answers from the bundled annual averages: one constant value, any time, no
 * network. It never fails, which makes it the fallback for every other provider.
 */
export function createOfflineProvider(options: { readonly country: string; readonly now: () => number }): CarbonProvider {
  const avg = annualAverage(options.country);
  const requested = options.country.trim().toUpperCase();
  const name = averageCodeName(avg.code);
  const regionName = avg.substituted ? `${name} (no data for ${requested})` : name;
  const seriesOf = (from: number, to: number): IntensitySeries => {
    const point: IntensityPoint = { from, to, intensity: avg.intensity, kind: 'annual-average' };
    return { provider: ID, region: avg.code, regionName, signal: 'average', points: [point], fetchedAt: options.now(), source: OFFLINE_SOURCE };
  };
  const yearOf = (ms: number): [number, number] => {
    const y = new Date(ms).getUTCFullYear();
    return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
  };
  return {
    id: ID,
    label: LABEL,
    region: avg.code,
    capabilities: { forecast: true, history: true },
    current: async () => seriesOf(...yearOf(options.now())),
    forecast: async () => {
      const now = options.now();
      return seriesOf(now, now + FORECAST_WINDOW_MS);
    },
    history: async (fromMs, toMs) => {
      checkRange(ID, LABEL, fromMs, toMs);
      return seriesOf(fromMs, toMs);
    },
  };
}

/** Same as `annualAverage(...).intensity`, for callers that only want the number. */
export const annualAverageIntensity = (country: string): GramsCO2PerKWh => annualAverage(country).intensity;
