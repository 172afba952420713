/**
 * Example answers for each provider, in their documented formats, plus wrong shapes and error
 * answers. The unit tests parse them, and an end-to-end test can serve them from a local fake
 * server (`FIXTURE_ROUTES` maps request paths to them). Written for this project after the
 * providers' documentation; the numbers are made up but plausible. All times are around
 * FIXTURE_NOW.
 */
import type { FetchResponse } from '../provider';

/** A canned HTTP answer. A string body is sent as is; anything else as JSON. */
export interface FixtureResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** The clock the fixtures are written around: 2024-03-01 12:10 UTC. */
export const FIXTURE_NOW = Date.UTC(2024, 2, 1, 12, 10);

const ok = (body: unknown): FixtureResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body });

/** UK Carbon Intensity API answers. */
export const UK_FIXTURES = {
  /** GET /intensity: the current half hour, actual not yet known. */
  nationalCurrent: ok({
    data: [{ from: '2024-03-01T12:00Z', to: '2024-03-01T12:30Z', intensity: { forecast: 186, actual: null, index: 'moderate' } }],
  }),
  /** GET /intensity/{from}/fw48h, shortened to four half hours. */
  nationalForecast: ok({
    data: [
      { from: '2024-03-01T12:00Z', to: '2024-03-01T12:30Z', intensity: { forecast: 186, actual: 190, index: 'moderate' } },
      { from: '2024-03-01T12:30Z', to: '2024-03-01T13:00Z', intensity: { forecast: 180, actual: null, index: 'moderate' } },
      { from: '2024-03-01T13:00Z', to: '2024-03-01T13:30Z', intensity: { forecast: 172, actual: null, index: 'moderate' } },
      { from: '2024-03-01T13:30Z', to: '2024-03-01T14:00Z', intensity: { forecast: 95, actual: null, index: 'low' } },
    ],
  }),
  /** A national answer where one half hour has neither forecast nor actual: a hole, not a zero. */
  nationalWithHole: ok({
    data: [
      { from: '2024-03-01T12:00Z', to: '2024-03-01T12:30Z', intensity: { forecast: 186, actual: 190, index: 'moderate' } },
      { from: '2024-03-01T12:30Z', to: '2024-03-01T13:00Z', intensity: { forecast: null, actual: null, index: null } },
    ],
  }),
  /** GET /regional/postcode/RG10: `data` is an array holding one region, as documented. */
  regionalPostcode: ok({
    data: [
      {
        regionid: 12,
        dnoregion: 'SSE South',
        shortname: 'South England',
        postcode: 'RG10',
        data: [
          {
            from: '2024-03-01T12:00Z',
            to: '2024-03-01T12:30Z',
            intensity: { forecast: 143, index: 'moderate' },
            generationmix: [
              { fuel: 'biomass', perc: 4.1 },
              { fuel: 'coal', perc: 0 },
              { fuel: 'imports', perc: 12.2 },
              { fuel: 'gas', perc: 30.6 },
              { fuel: 'nuclear', perc: 9.8 },
              { fuel: 'other', perc: 0.3 },
              { fuel: 'hydro', perc: 0.4 },
              { fuel: 'solar', perc: 18.9 },
              { fuel: 'wind', perc: 23.7 },
            ],
          },
        ],
      },
    ],
  }),
  /** GET /regional/regionid/13. */
  regionalById: ok({
    data: [
      {
        regionid: 13,
        dnoregion: 'UKPN London',
        shortname: 'London',
        data: [{ from: '2024-03-01T12:00Z', to: '2024-03-01T12:30Z', intensity: { forecast: 201, index: 'moderate' }, generationmix: [{ fuel: 'gas', perc: 41.5 }, { fuel: 'wind', perc: 20.1 }] }],
      },
    ],
  }),
  /** GET /regional/intensity/{from}/fw48h/regionid/13: here `data` is the region object itself, not an array. */
  regionalForecastObject: ok({
    data: {
      regionid: 13,
      dnoregion: 'UKPN London',
      shortname: 'London',
      data: [
        { from: '2024-03-01T12:00Z', to: '2024-03-01T12:30Z', intensity: { forecast: 201, index: 'moderate' }, generationmix: [{ fuel: 'gas', perc: 41.5 }] },
        { from: '2024-03-01T12:30Z', to: '2024-03-01T13:00Z', intensity: { forecast: 150, index: 'moderate' }, generationmix: [{ fuel: 'gas', perc: 30.2 }] },
      ],
    },
  }),
  /** The API's error format for a bad postcode. */
  badPostcode: { status: 400, headers: { 'content-type': 'application/json' }, body: { error: { code: '400 Bad Request', message: 'Please enter a valid postcode, e.g. RG10' } } } as FixtureResponse,
  /** Wrong shape: `data` missing. */
  missingData: ok({ results: [] }),
  /** Wrong shape: intensity as a string. */
  wrongTypes: ok({ data: [{ from: '2024-03-01T12:00Z', to: '2024-03-01T12:30Z', intensity: { forecast: '186', actual: null } }] }),
  /** Every entry is a hole: no value at all. */
  allHoles: ok({ data: [{ from: '2024-03-01T12:00Z', to: '2024-03-01T12:30Z', intensity: { forecast: null, actual: null, index: null } }] }),
} as const;

/** Electricity Maps v3 answers. */
export const ELECTRICITY_MAPS_FIXTURES = {
  /** GET /carbon-intensity/latest?zone=DE */
  latest: ok({
    zone: 'DE',
    carbonIntensity: 312,
    datetime: '2024-03-01T12:00:00.000Z',
    updatedAt: '2024-03-01T12:05:12.112Z',
    createdAt: '2024-02-28T12:00:41.000Z',
    emissionFactorType: 'lifecycle',
    isEstimated: true,
    estimationMethod: 'TIME_SLICER_AVERAGE',
  }),
  /** GET /carbon-intensity/forecast?zone=DE, shortened. */
  forecast: ok({
    zone: 'DE',
    forecast: [
      { carbonIntensity: 305, datetime: '2024-03-01T13:00:00.000Z' },
      { carbonIntensity: 290, datetime: '2024-03-01T14:00:00.000Z' },
      { carbonIntensity: 301, datetime: '2024-03-01T15:00:00.000Z' },
    ],
    updatedAt: '2024-03-01T12:05:12.112Z',
  }),
  /** GET /carbon-intensity/history?zone=DE, shortened; one hour has no value. */
  history: ok({
    zone: 'DE',
    history: [
      { zone: 'DE', carbonIntensity: 330, datetime: '2024-03-01T09:00:00.000Z', updatedAt: '2024-03-01T10:00:00.000Z', isEstimated: false, estimationMethod: null },
      { zone: 'DE', carbonIntensity: null, datetime: '2024-03-01T10:00:00.000Z', updatedAt: '2024-03-01T11:00:00.000Z', isEstimated: false, estimationMethod: null },
      { zone: 'DE', carbonIntensity: 318, datetime: '2024-03-01T11:00:00.000Z', updatedAt: '2024-03-01T12:00:00.000Z', isEstimated: true, estimationMethod: 'TIME_SLICER_AVERAGE' },
    ],
  }),
  /** A bad or missing key. */
  unauthorized: { status: 401, body: { message: 'Invalid authentication credentials' } } as FixtureResponse,
  /** A key whose plan does not include the zone. */
  forbiddenZone: { status: 403, body: { message: 'Your token does not give access to this zone' } } as FixtureResponse,
  /** Too many requests, with a delay in seconds. */
  rateLimited: { status: 429, headers: { 'retry-after': '120' }, body: { message: 'API rate limit exceeded' } } as FixtureResponse,
  /** Wrong shape: the value under another name. */
  wrongShape: ok({ zone: 'DE', intensity: 312, time: '2024-03-01T12:00:00.000Z' }),
} as const;

/** WattTime v3 answers. */
export const WATTTIME_FIXTURES = {
  /** GET /login with basic auth. The token is a made-up placeholder. */
  login: ok({ token: 'fixture-watttime-token-0000' }),
  /** GET /v3/forecast?region=CAISO_NORTH&signal_type=co2_moer, shortened to three 5-minute points. */
  forecast: ok({
    data: [
      { point_time: '2024-03-01T12:10:00+00:00', value: 870.5 },
      { point_time: '2024-03-01T12:15:00+00:00', value: 860.0 },
      { point_time: '2024-03-01T12:20:00+00:00', value: 420.0 },
    ],
    meta: {
      data_point_period_seconds: 300,
      region: 'CAISO_NORTH',
      warnings: [],
      signal_type: 'co2_moer',
      model: { date: '2023-03-01' },
      units: 'lbs_co2_per_mwh',
      generated_at_period_seconds: 300,
      generated_at: '2024-03-01T12:05:00+00:00',
    },
  }),
  /** GET /v3/historical?region=CAISO_NORTH&signal_type=co2_moer&start=...&end=... */
  historical: ok({
    data: [
      { point_time: '2024-03-01T11:00:00+00:00', value: 900.0 },
      { point_time: '2024-03-01T11:05:00+00:00', value: 905.0 },
    ],
    meta: { data_point_period_seconds: 300, region: 'CAISO_NORTH', signal_type: 'co2_moer', units: 'lbs_co2_per_mwh' },
  }),
  /** Wrong units: a percentile index (as /v3/signal-index returns) must not be read as lbs/MWh. */
  percentileUnits: ok({
    data: [{ point_time: '2024-03-01T12:10:00+00:00', value: 73 }],
    meta: { data_point_period_seconds: 300, region: 'CAISO_NORTH', signal_type: 'co2_moer', units: 'percentile' },
  }),
  /** Wrong shape: no meta. */
  missingMeta: ok({ data: [{ point_time: '2024-03-01T12:10:00+00:00', value: 870.5 }] }),
  /** Login with a wrong password. */
  loginUnauthorized: { status: 401, body: { error: 'Unauthorized' } } as FixtureResponse,
  /** Login answer without a token. */
  loginNoToken: ok({ ok: true }),
} as const;

/** Failures any provider can meet. */
export const HTTP_FAILURE_FIXTURES = {
  serviceUnavailable: { status: 503, body: '<html><body>Service Unavailable</body></html>' } as FixtureResponse,
  internalError: { status: 500, body: { error: 'internal' } } as FixtureResponse,
  rateLimitedNoHeader: { status: 429, body: { message: 'slow down' } } as FixtureResponse,
  rateLimitedHttpDate: { status: 429, headers: { 'retry-after': 'Fri, 01 Mar 2024 12:15:00 GMT' }, body: '' } as FixtureResponse,
  notJson: { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Captive portal</title>' } as FixtureResponse,
} as const;

/**
 * Request paths (and query strings) of a default-configured provider, mapped to fixtures: what a
 * local fake server needs to serve the happy path. Paths are relative to each base URL.
 */
export const FIXTURE_ROUTES: Readonly<Record<string, Readonly<Record<string, FixtureResponse>>>> = {
  'uk-carbon-intensity': {
    '/intensity': UK_FIXTURES.nationalCurrent,
    '/intensity/2024-03-01T12:00Z/fw48h': UK_FIXTURES.nationalForecast,
    '/regional/postcode/RG10': UK_FIXTURES.regionalPostcode,
    '/regional/regionid/13': UK_FIXTURES.regionalById,
    '/regional/intensity/2024-03-01T12:00Z/fw48h/regionid/13': UK_FIXTURES.regionalForecastObject,
  },
  'electricity-maps': {
    '/carbon-intensity/latest?zone=DE': ELECTRICITY_MAPS_FIXTURES.latest,
    '/carbon-intensity/forecast?zone=DE': ELECTRICITY_MAPS_FIXTURES.forecast,
    '/carbon-intensity/history?zone=DE': ELECTRICITY_MAPS_FIXTURES.history,
  },
  watttime: {
    '/login': WATTTIME_FIXTURES.login,
    '/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer': WATTTIME_FIXTURES.forecast,
  },
};

/** A FetchResponse built from a fixture, for fake `fetch` functions in tests. */
export function responseFromFixture(fixture: FixtureResponse): FetchResponse {
  const headers = new Map(Object.entries(fixture.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const text = typeof fixture.body === 'string' ? fixture.body : JSON.stringify(fixture.body);
  return {
    ok: fixture.status >= 200 && fixture.status < 300,
    status: fixture.status,
    headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
    text: async () => text,
  };
}
