import { gramsPerKWh } from '../../units';
import { getJson, trimBase } from '../http';
import {
  CarbonProviderError,
  type CarbonProvider,
  type IntensityPoint,
  type IntensitySeries,
  type PointKind,
  type ProviderDeps,
} from '../provider';
import { checkRange, parseOrFail, requirePoints } from './common';
import { asArray, asNumber, asRecord, asString, asTime, shapeError } from './shape';

/**
 * Electricity Maps API v3 (portal.electricitymaps.com/docs). The older host
 * api.electricitymap.org/v3 serves the same paths; pass it as `baseUrl` if a key needs it.
 */
export const ELECTRICITY_MAPS_BASE_URL = 'https://api.electricitymaps.com/v3';

const ID = 'electricity-maps';
const LABEL = 'Electricity Maps';
const SOURCE = 'Electricity Maps API v3, electricitymaps.com';
const HOUR_MS = 3_600_000;

/** Length of one interval for each `temporalGranularity` the API documents; hourly when absent. */
const GRANULARITY_MS: Readonly<Record<string, number>> = {
  '5_minutes': 5 * 60_000,
  '15_minutes': 15 * 60_000,
  hourly: HOUR_MS,
  daily: 24 * HOUR_MS,
};

/** Options of the Electricity Maps provider. The key is held in a closure and sent only to `baseUrl`. */
export interface ElectricityMapsOptions extends ProviderDeps {
  /** The user's own API key, sent in the `auth-token` header. */
  readonly apiKey: string;
  /** Zone key such as `DE`, `FR`, `GB` or `US-CAL-CISO`. */
  readonly zone: string;
}

const granularityOf = (root: Record<string, unknown>): number =>
  GRANULARITY_MS[asString(root.temporalGranularity) ?? 'hourly'] ?? HOUR_MS;

/** One `{carbonIntensity, datetime}` item; null where the intensity is null (a gap in their data). */
function parseItem(item: unknown, where: string, stepMs: number, kind: PointKind): IntensityPoint | null {
  const r = asRecord(item) ?? shapeError(`${where} to be an object`);
  const from = asTime(r.datetime) ?? shapeError(`${where}.datetime to be a date-time`);
  if (r.carbonIntensity === null) return null;
  const value = asNumber(r.carbonIntensity);
  if (value === undefined || value < 0) shapeError(`${where}.carbonIntensity to be a number >= 0`);
  const pointKind: PointKind = kind === 'forecast' ? 'forecast' : r.isEstimated === true ? 'estimated' : 'actual';
  return { from, to: from + stepMs, intensity: gramsPerKWh(value as number), kind: pointKind };
}

/** The point of a `/carbon-intensity/latest` answer: `{zone, carbonIntensity, datetime, isEstimated, ...}`. */
export function parseLatest(json: unknown): IntensityPoint[] {
  const root = asRecord(json) ?? shapeError('a JSON object');
  const point = parseItem(root, 'the answer', granularityOf(root), 'actual');
  return point === null ? [] : [point];
}

const parseList = (json: unknown, field: 'forecast' | 'history', kind: PointKind): IntensityPoint[] => {
  const root = asRecord(json) ?? shapeError('a JSON object');
  const list = asArray(root[field]) ?? shapeError(`${field} to be an array`);
  const step = granularityOf(root);
  return list.map((item, i) => parseItem(item, `${field}[${i}]`, step, kind)).filter((p): p is IntensityPoint => p !== null);
};

/** Points of a `/carbon-intensity/forecast` answer: `{zone, forecast:[{carbonIntensity, datetime}]}`. */
export const parseForecast = (json: unknown): IntensityPoint[] => parseList(json, 'forecast', 'forecast');

/** Points of a `/carbon-intensity/history` answer (the past 24 h): `{zone, history:[{carbonIntensity, datetime, ...}]}`. */
export const parseHistory = (json: unknown): IntensityPoint[] => parseList(json, 'history', 'actual');

/** A provider for one Electricity Maps zone. Throws `unauthorized` at once if the key is empty. */
export function createElectricityMapsProvider(options: ElectricityMapsOptions): CarbonProvider {
  const base = trimBase(options.baseUrl ?? ELECTRICITY_MAPS_BASE_URL);
  const apiKey = options.apiKey.trim();
  const zone = options.zone.trim();
  if (apiKey === '') throw new CarbonProviderError(ID, LABEL, 'unauthorized', { detail: 'No API key was given' });
  if (!/^[A-Za-z]{2}(-[A-Za-z0-9-]+)?$/.test(zone)) {
    throw new CarbonProviderError(ID, LABEL, 'bad-request', { detail: 'Zones look like DE, GB or US-CAL-CISO' });
  }
  const ctx = { provider: ID, label: LABEL, fetch: options.fetch, now: options.now, timeoutMs: options.timeoutMs, secrets: [apiKey] } as const;
  const query = `zone=${encodeURIComponent(zone)}`;

  const answer = async (path: string, parse: (json: unknown) => IntensityPoint[], signal?: AbortSignal): Promise<readonly IntensityPoint[]> => {
    const json = await getJson(ctx, `${base}${path}`, { 'auth-token': apiKey }, signal);
    return requirePoints(ID, LABEL, parseOrFail(ID, LABEL, () => parse(json), [apiKey]));
  };
  const seriesOf = (points: readonly IntensityPoint[]): IntensitySeries => ({
    provider: ID, region: zone, regionName: `Zone ${zone}`, signal: 'average', points, fetchedAt: options.now(), source: SOURCE,
  });

  return {
    id: ID,
    label: LABEL,
    region: zone,
    capabilities: { forecast: true, history: true },
    async current(signal) {
      return seriesOf(await answer(`/carbon-intensity/latest?${query}`, parseLatest, signal));
    },
    async forecast(signal) {
      return seriesOf(await answer(`/carbon-intensity/forecast?${query}`, parseForecast, signal));
    },
    async history(fromMs, toMs, signal) {
      checkRange(ID, LABEL, fromMs, toMs);
      // /history covers the last 24 h; older ranges need /past-range, which free keys lack.
      const points = await answer(`/carbon-intensity/history?${query}`, parseHistory, signal);
      const inRange = points.filter((p) => p.to > fromMs && p.from < toMs);
      if (inRange.length === 0) {
        throw new CarbonProviderError(ID, LABEL, 'no-data', { detail: 'Its history endpoint covers only the last 24 hours' });
      }
      return seriesOf(inRange);
    },
  };
}
