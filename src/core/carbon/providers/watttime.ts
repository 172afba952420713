import { gramsPerKWh, type GramsCO2PerKWh } from '../../units';
import { getJson, trimBase, type RequestContext } from '../http';
import {
  CarbonProviderError,
  isProviderError,
  type CarbonProvider,
  type IntensityPoint,
  type IntensitySeries,
  type ProviderDeps,
} from '../provider';
import { checkRange, parseOrFail, pointAt, requirePoints } from './common';
import { asArray, asNumber, asRecord, asString, asTime, shapeError } from './shape';

/** WattTime API (docs.watttime.org): login at `/login`, data under `/v3`. */
export const WATTTIME_BASE_URL = 'https://api.watttime.org';

/** Grams in one avoirdupois pound, exact by definition (1959 international yard and pound agreement; NIST SP 811, appendix B). */
export const GRAMS_PER_POUND = 453.59237;

/** g/kWh per lb/MWh: 453.59237 g per lb, divided by 1000 kWh per MWh. */
export const GRAMS_PER_KWH_PER_LBS_PER_MWH = GRAMS_PER_POUND / 1000;

/** Convert WattTime's lbs CO2 per MWh to g CO2 per kWh. */
export const gramsPerKWhFromLbsPerMWh = (lbsPerMWh: number): GramsCO2PerKWh => gramsPerKWh(lbsPerMWh * GRAMS_PER_KWH_PER_LBS_PER_MWH);

/** The unit WattTime v3 reports `co2_moer` in (`meta.units`). */
export const WATTTIME_MOER_UNITS = 'lbs_co2_per_mwh';

/** WattTime tokens expire 30 minutes after login (their documentation); renew a little before. */
export const WATTTIME_TOKEN_LIFETIME_MS = 25 * 60_000;

/** Interval of a data point when `meta.data_point_period_seconds` is absent: 5 minutes, per their documentation. */
const DEFAULT_PERIOD_S = 300;

const ID = 'watttime';
const LABEL = 'WattTime';
const SOURCE = 'WattTime API v3, co2_moer signal (marginal operating emissions rate), watttime.org';
const FORECAST_WINDOW_MS = 48 * 3_600_000;

/** Options of the WattTime provider. Credentials are held in a closure and sent only to `baseUrl`. */
export interface WattTimeOptions extends ProviderDeps {
  readonly username: string;
  readonly password: string;
  /** WattTime region abbreviation such as `CAISO_NORTH` (free accounts get data for that one only). */
  readonly region: string;
}

/**
 * Points of a `/v3/forecast` or `/v3/historical` answer:
 * `{data:[{point_time, value}], meta:{units, data_point_period_seconds, signal_type, region}}`.
 * Values are converted from lbs/MWh to g/kWh; any other unit (a `percentile` index, say) is
 * refused rather than misread.
 */
export function parseMoer(json: unknown): IntensityPoint[] {
  const root = asRecord(json) ?? shapeError('a JSON object');
  const meta = asRecord(root.meta) ?? shapeError('meta to be an object');
  const units = asString(meta.units);
  if (units !== WATTTIME_MOER_UNITS) {
    shapeError(`meta.units to be "${WATTTIME_MOER_UNITS}", not ${units === undefined ? 'missing' : `"${units.slice(0, 40)}"`}`);
  }
  const periodMs = periodSecondsOf(meta.data_point_period_seconds) * 1000;
  const data = asArray(root.data) ?? shapeError('data to be an array');
  return data.flatMap((item, i): IntensityPoint[] => {
    const r = asRecord(item) ?? shapeError(`data[${i}] to be an object`);
    const from = asTime(r.point_time) ?? shapeError(`data[${i}].point_time to be a date-time`);
    if (r.value === null) return [];
    const value = asNumber(r.value);
    if (value === undefined || value < 0) shapeError(`data[${i}].value to be a number >= 0`);
    return [{ from, to: from + periodMs, intensity: gramsPerKWhFromLbsPerMWh(value as number), kind: 'forecast' }];
  });
}

/**
 * `meta.data_point_period_seconds`, or the documented default when absent. Zero, a negative or a
 * non-numeric period is malformed: every point would cover no time (or negative time), and pricing
 * energy over such intervals fails at every progress event.
 */
function periodSecondsOf(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_PERIOD_S;
  const seconds = asNumber(value);
  if (seconds === undefined || seconds <= 0) {
    shapeError(`meta.data_point_period_seconds to be a positive number of seconds, not ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return seconds as number;
}

/** The token of a `/login` answer, `{token}`. */
export function parseLogin(json: unknown): string {
  const token = asString(asRecord(json)?.token);
  return token !== undefined && token !== '' ? token : shapeError('token to be a non-empty string');
}

/** Basic auth header value; UTF-8 bytes, base64 (RFC 7617). */
function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** A provider for one WattTime region's marginal emissions. Throws `unauthorized` at once without credentials. */
export function createWattTimeProvider(options: WattTimeOptions): CarbonProvider {
  const base = trimBase(options.baseUrl ?? WATTTIME_BASE_URL);
  const region = options.region.trim();
  if (options.username === '' || options.password === '') {
    throw new CarbonProviderError(ID, LABEL, 'unauthorized', { detail: 'No username or password was given' });
  }
  if (!/^[A-Za-z0-9_-]+$/.test(region)) throw new CarbonProviderError(ID, LABEL, 'bad-request', { detail: 'Regions look like CAISO_NORTH' });
  const authorization = basicAuth(options.username, options.password);
  const secrets: string[] = [options.username, options.password, authorization.slice(6)];
  const ctx: RequestContext = { provider: ID, label: LABEL, fetch: options.fetch, now: options.now, timeoutMs: options.timeoutMs, secrets };
  let token: { value: string; expiresAt: number } | null = null;

  const login = async (signal?: AbortSignal): Promise<string> => {
    if (token !== null && options.now() < token.expiresAt) return token.value;
    let json: unknown;
    try {
      json = await getJson(ctx, `${base}/login`, { authorization }, signal);
    } catch (e) {
      if (isProviderError(e) && (e.kind === 'unauthorized' || e.kind === 'forbidden')) {
        throw new CarbonProviderError(ID, LABEL, 'unauthorized', { status: e.status, detail: 'The username or password was not accepted' });
      }
      throw e;
    }
    const value = parseOrFail(ID, LABEL, () => parseLogin(json), secrets);
    secrets.push(value);
    token = { value, expiresAt: options.now() + WATTTIME_TOKEN_LIFETIME_MS };
    return value;
  };

  const get = async (path: string, signal?: AbortSignal): Promise<readonly IntensityPoint[]> => {
    const once = async (): Promise<unknown> => getJson(ctx, `${base}${path}`, { authorization: `Bearer ${await login(signal)}` }, signal);
    const hadToken = token !== null && options.now() < token.expiresAt;
    let json: unknown;
    try {
      json = await once();
    } catch (e) {
      // A token from an earlier login may have been revoked: log in afresh once, then give up.
      if (!(hadToken && isProviderError(e) && e.kind === 'unauthorized')) throw e;
      token = null;
      json = await once();
    }
    return requirePoints(ID, LABEL, parseOrFail(ID, LABEL, () => parseMoer(json), secrets));
  };

  const seriesOf = (points: readonly IntensityPoint[]): IntensitySeries => ({
    provider: ID, region, regionName: `WattTime region ${region}`, signal: 'marginal', points, fetchedAt: options.now(), source: SOURCE,
  });
  const q = `region=${encodeURIComponent(region)}&signal_type=co2_moer`;

  return {
    id: ID,
    label: LABEL,
    region,
    capabilities: { forecast: true, history: true },
    async current(signal) {
      const points = await get(`/v3/forecast?${q}`, signal);
      const now = options.now();
      const p = pointAt(points, now);
      return seriesOf(p === undefined ? points : [p]);
    },
    async forecast(signal) {
      const now = options.now();
      const points = await get(`/v3/forecast?${q}`, signal);
      const ahead = points.filter((p) => p.to > now && p.from < now + FORECAST_WINDOW_MS);
      return seriesOf(ahead.length > 0 ? ahead : points);
    },
    async history(fromMs, toMs, signal) {
      checkRange(ID, LABEL, fromMs, toMs);
      const range = `start=${encodeURIComponent(new Date(fromMs).toISOString())}&end=${encodeURIComponent(new Date(toMs).toISOString())}`;
      const points = await get(`/v3/historical?${q}&${range}`, signal);
      return seriesOf(points.map((p) => ({ ...p, kind: 'actual' as const })));
    },
  };
}
