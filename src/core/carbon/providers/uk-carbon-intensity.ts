import { gramsPerKWh } from '../../units';
import { getJson, trimBase } from '../http';
import {
  CarbonProviderError,
  type CarbonProvider,
  type FuelShare,
  type IntensityPoint,
  type IntensitySeries,
  type ProviderDeps,
} from '../provider';
import { checkRange, parseOrFail, pointAt, requirePoints } from './common';
import { asArray, asNumber, asRecord, asString, asTime, shapeError } from './shape';

/**
 * The UK Carbon Intensity API (National Energy System Operator with the Environmental Defense
 * Fund Europe and Oxford University). No key; covers Great Britain, not Northern Ireland.
 * Endpoints and payloads from its documentation, carbon-intensity.github.io/api-definitions.
 */
export const UK_CARBON_INTENSITY_BASE_URL = 'https://api.carbonintensity.org.uk';

const ID = 'uk-carbon-intensity';
const LABEL = 'UK Carbon Intensity API';
const SOURCE = 'UK Carbon Intensity API (NESO), carbonintensity.org.uk, CC BY 4.0';
const HALF_HOUR_MS = 30 * 60_000;

/** The API's 17 regions (ids 1-14 are distribution network areas, 15-17 the three nations), from its documentation. */
export const UK_REGIONS: readonly { readonly id: number; readonly name: string }[] = [
  { id: 1, name: 'North Scotland' },
  { id: 2, name: 'South Scotland' },
  { id: 3, name: 'North West England' },
  { id: 4, name: 'North East England' },
  { id: 5, name: 'Yorkshire' },
  { id: 6, name: 'North Wales & Merseyside' },
  { id: 7, name: 'South Wales' },
  { id: 8, name: 'West Midlands' },
  { id: 9, name: 'East Midlands' },
  { id: 10, name: 'East England' },
  { id: 11, name: 'South West England' },
  { id: 12, name: 'South England' },
  { id: 13, name: 'London' },
  { id: 14, name: 'South East England' },
  { id: 15, name: 'England' },
  { id: 16, name: 'Scotland' },
  { id: 17, name: 'Wales' },
];

/** Which part of Great Britain to ask about. */
export type UkArea =
  | { readonly kind: 'national' }
  | { readonly kind: 'region'; readonly regionId: number }
  | { readonly kind: 'postcode'; readonly postcode: string };

/** Options of the UK provider. */
export interface UkProviderOptions extends ProviderDeps {
  readonly area: UkArea;
}

/**
 * The outward part of a UK postcode ("SW1A 1AA" -> "SW1A", "rg10" -> "RG10"), which is all the
 * API takes; null if the text does not start like a postcode.
 */
export function outwardPostcode(input: string): string | null {
  const first = input.trim().toUpperCase().split(/\s+/)[0] ?? '';
  const outward = /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(first) ? first.slice(0, -3) : first;
  return /^[A-Z]{1,2}\d[A-Z\d]?$/.test(outward) ? outward : null;
}

/** The API's date-time path segment: UTC, to the minute, e.g. 2024-03-01T12:30Z. */
export const ukApiTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16)}Z`;

/** One `{from, to, intensity:{forecast, actual, index}}` entry; null for an entry with no value at all. */
function parseEntry(entry: unknown, where: string): IntensityPoint | null {
  const e = asRecord(entry) ?? shapeError(`${where} to be an object`);
  const from = asTime(e.from) ?? shapeError(`${where}.from to be a date-time`);
  const to = asTime(e.to) ?? shapeError(`${where}.to to be a date-time`);
  const intensity = asRecord(e.intensity) ?? shapeError(`${where}.intensity to be an object`);
  for (const field of ['forecast', 'actual'] as const) {
    const v = intensity[field];
    if (v !== undefined && v !== null && (asNumber(v) === undefined || (v as number) < 0)) {
      shapeError(`${where}.intensity.${field} to be a number >= 0 or null`);
    }
  }
  const actual = asNumber(intensity.actual);
  const forecast = asNumber(intensity.forecast);
  if (to <= from) shapeError(`${where}.to to be after ${where}.from`);
  if (actual !== undefined) return { from, to, intensity: gramsPerKWh(actual), kind: 'actual' };
  if (forecast !== undefined) return { from, to, intensity: gramsPerKWh(forecast), kind: 'forecast' };
  return null;
}

const parseEntries = (list: unknown, where: string): IntensityPoint[] => {
  const entries = asArray(list) ?? shapeError(`${where} to be an array`);
  return entries.map((e, i) => parseEntry(e, `${where}[${i}]`)).filter((p): p is IntensityPoint => p !== null);
};

/** Points of a national answer, `{data:[{from,to,intensity:{forecast,actual,index}}]}`. Entries without any value are dropped. */
export function parseNationalIntensity(json: unknown): IntensityPoint[] {
  const root = asRecord(json) ?? shapeError('a JSON object');
  return parseEntries(root.data, 'data');
}

/** A regional answer: the region and its points. */
export interface UkRegionalAnswer {
  readonly regionId: number | null;
  readonly name: string;
  readonly points: IntensityPoint[];
  readonly generationMix: FuelShare[];
}

/**
 * Points of a regional answer. The documentation shows `data` as an array holding one region,
 * but the regional forecast endpoints return `data` as that region object itself: both are read.
 */
export function parseRegionalIntensity(json: unknown): UkRegionalAnswer {
  const root = asRecord(json) ?? shapeError('a JSON object');
  const list = asArray(root.data);
  const region = asRecord(list === undefined ? root.data : list[0]) ?? shapeError('data to be a region object or an array holding one');
  const regionId = asNumber(region.regionid) ?? null;
  const name = asString(region.shortname) ?? (regionId === null ? 'Great Britain region' : `Region ${regionId}`);
  const entries = asArray(region.data) ?? shapeError('data.data to be an array');
  const points = parseEntries(entries, 'data.data');
  const firstMix = asArray(asRecord(entries[0])?.generationmix) ?? [];
  const generationMix = firstMix.flatMap((m): FuelShare[] => {
    const r = asRecord(m);
    const fuel = asString(r?.fuel);
    const percent = asNumber(r?.perc);
    return fuel !== undefined && percent !== undefined ? [{ fuel, percent }] : [];
  });
  return { regionId, name, points, generationMix };
}

/**
 * A provider for the UK Carbon Intensity API, national or one region. Throws a `bad-request`
 * CarbonProviderError at once for a region id outside 1-17 or a text that is not a UK postcode.
 */
export function createUkCarbonIntensityProvider(options: UkProviderOptions): CarbonProvider {
  const base = trimBase(options.baseUrl ?? UK_CARBON_INTENSITY_BASE_URL);
  const ctx = { provider: ID, label: LABEL, fetch: options.fetch, now: options.now, timeoutMs: options.timeoutMs } as const;
  const area = options.area;

  let areaPath: string | null = null;
  let region = 'national';
  let regionName = 'Great Britain';
  if (area.kind === 'region') {
    const known = UK_REGIONS.find((r) => r.id === area.regionId);
    if (known === undefined) throw new CarbonProviderError(ID, LABEL, 'bad-request', { detail: `Region ids run from 1 to 17, not ${area.regionId}` });
    areaPath = `regionid/${known.id}`;
    region = String(known.id);
    regionName = known.name;
  } else if (area.kind === 'postcode') {
    const outward = outwardPostcode(area.postcode);
    if (outward === null) throw new CarbonProviderError(ID, LABEL, 'bad-request', { detail: 'That does not look like a UK postcode' });
    areaPath = `postcode/${outward}`;
    region = outward;
    regionName = `Postcode area ${outward}`;
  }

  const answer = async (url: string, signal: AbortSignal | undefined, pick?: (points: readonly IntensityPoint[]) => IntensityPoint[]): Promise<IntensitySeries> => {
    const json = await getJson(ctx, url, {}, signal);
    const fetchedAt = options.now();
    if (areaPath === null) {
      const points = requirePoints(ID, LABEL, parseOrFail(ID, LABEL, () => parseNationalIntensity(json)));
      return { provider: ID, region, regionName, signal: 'average', points: pick ? pick(points) : points, fetchedAt, source: SOURCE };
    }
    const parsed = parseOrFail(ID, LABEL, () => parseRegionalIntensity(json));
    const points = requirePoints(ID, LABEL, parsed.points);
    const name = area.kind === 'postcode' ? `${parsed.name} (${region})` : regionName;
    return {
      provider: ID, region, regionName: name, signal: 'average', points: pick ? pick(points) : points, fetchedAt, source: SOURCE,
      ...(parsed.generationMix.length > 0 ? { generationMix: parsed.generationMix } : {}),
    };
  };

  const slot = (ms: number): number => Math.floor(ms / HALF_HOUR_MS) * HALF_HOUR_MS;

  return {
    id: ID,
    label: LABEL,
    region,
    capabilities: { forecast: true, history: true },
    current(signal) {
      const url = areaPath === null ? `${base}/intensity` : `${base}/regional/${areaPath}`;
      const now = options.now();
      return answer(url, signal, (points) => {
        const p = pointAt(points, now);
        return p === undefined ? [] : [p];
      });
    },
    forecast(signal) {
      const from = ukApiTime(slot(options.now()));
      const url = areaPath === null ? `${base}/intensity/${from}/fw48h` : `${base}/regional/intensity/${from}/fw48h/${areaPath}`;
      return answer(url, signal);
    },
    history(fromMs, toMs, signal) {
      checkRange(ID, LABEL, fromMs, toMs);
      const span = `${ukApiTime(fromMs)}/${ukApiTime(toMs)}`;
      const url = areaPath === null ? `${base}/intensity/${span}` : `${base}/regional/intensity/${span}/${areaPath}`;
      return answer(url, signal);
    },
  };
}
