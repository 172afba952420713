import { describe, expect, it } from 'vitest';
import { matchProfile } from '../energy/profiles';
import { regionFromLocale } from '../carbon/regions';
import { isProviderError } from '../carbon/provider';
import { gramsPerKWh } from '../units';
import { defaultConfig } from '../config/schema';
import { parseLink } from '../config/link';
import { createFootprintTracker } from './run';
import { resolveProfile } from './profile';
import { NO_CREDENTIALS, DEFAULT_BASE_URLS, isUsableBaseUrl, providersFor, regionChoiceFor } from './source';
import { emissionsCsv } from './export';
import { buildResult, validateResult } from '../result';

const T = Date.UTC(2024, 2, 1, 12);
const energy = (over: Partial<ReturnType<typeof defaultConfig>['energy']> = {}) => ({ ...defaultConfig().energy, ...over });
const ampere = matchProfile({ vendor: 'nvidia', architecture: 'ampere' }, 16, 16);

describe('resolveProfile', () => {
  it('keeps the automatic match by default', () => {
    expect(resolveProfile(ampere, energy()).profile).toBe(ampere.profile);
  });
  it('uses typed watts for the whole device, with no range', () => {
    const c = resolveProfile(ampere, energy({ profile: 'custom', customMaxWatts: 60, customIdleWatts: 10 }));
    expect(c.chosenBy).toBe('custom');
    expect(c.profile.gpu.power.low.max).toBe(60);
    expect(c.profile.gpu.power.high.max).toBe(60);
    expect(c.profile.cpu.power.typical.max).toBe(0);
    expect(c.profile.ram.wattsPerGB.typical).toBe(0);
  });
  it('falls back to the match when custom has no watts, and says so', () => {
    const c = resolveProfile(ampere, energy({ profile: 'custom' }));
    expect(c.chosenBy).toBe('auto');
    expect(c.reason).toContain('none entered');
  });
  it('builds the CPU and RAM rows around a picked integrated GPU', () => {
    const c = resolveProfile(ampere, energy({ profile: 'intel-xe-lpg' }));
    expect(c.profile.sharing).toBe('gpu-includes-cpu');
    expect(c.profile.cpu.id).toBe('cpu-in-soc');
  });
});

describe('createFootprintTracker', () => {
  const step = (i: number) => ({ startTime: T + i * 1000, wallMs: 1000, busyMs: 1000, gpuKernelMs: null, epoch: i < 5 ? 0 : 1 });
  const points = [{ from: T - 3_600_000, to: T + 3_600_000, intensity: gramsPerKWh(200), kind: 'actual' as const }];
  const series = { provider: 'offline' as const, region: 'DEU', regionName: 'Germany', signal: 'average' as const, points, fetchedAt: T, source: 'test' };

  it('charges steps recorded before the intensity was known once it arrives', () => {
    const t = createFootprintTracker(ampere.profile, 1);
    t.addSteps([0, 1, 2].map(step));
    expect(t.live().gCO2e).toBe(0);
    expect(t.live().intensity).toBeNull();
    t.addIntensity(points);
    const live = t.live();
    expect(live.intensity).toBe(200);
    expect(live.gCO2e).toBeCloseTo((live.wh / 1000) * 200, 12);
  });

  it('reports energy x intensity per run and per epoch, with PUE applied', () => {
    const t1 = createFootprintTracker(ampere.profile, 1);
    const t2 = createFootprintTracker(ampere.profile, 1.5);
    for (const t of [t1, t2]) {
      t.addIntensity(points);
      t.addSteps(Array.from({ length: 10 }, (_, i) => step(i)));
    }
    const r1 = t1.finish(series, null);
    const r2 = t2.finish(series, null);
    expect(r1?.carbon.gCO2e).toBeCloseTo((r1?.energy.kWh ?? 0) * 200, 12);
    expect(r2?.energy.kWh).toBeCloseTo((r1?.energy.kWh ?? 0) * 1.5, 15);
    expect(r1?.energy.byEpoch.map((e) => e.epoch)).toEqual([1, 2]);
    expect((r1?.energy.byEpoch[0]?.kWh ?? 0) + (r1?.energy.byEpoch[1]?.kWh ?? 0)).toBeCloseTo(r1?.energy.kWh ?? 0, 15);
    expect(r1?.energy.low).toBeLessThan(r1?.energy.kWh ?? 0);
    expect(r1?.durationS).toBe(10);
  });

  it('has no report without steps or without intensity', () => {
    const t = createFootprintTracker(ampere.profile, 1);
    expect(t.finish(series, null)).toBeNull();
    t.addSteps([step(0)]);
    expect(t.finish(series, null)).toBeNull();
  });

  it('gives a result file that validates and an emissions.csv row', () => {
    const t = createFootprintTracker(ampere.profile, 1);
    t.addIntensity(points);
    t.addSteps([step(0), step(1)]);
    const fp = t.finish(series, 'Electricity Maps rejected the credentials (HTTP 401). The lab now uses the offline annual average for your country instead.');
    expect(fp).not.toBeNull();
    if (fp === null) return;
    const csv = emissionsCsv(fp, { endedAt: T, runId: 'r', experimentId: 'v=1', country: 'DEU', os: 'test', gpuModel: 'gpu', profile: ampere.profile });
    expect(csv.split('\n')[1]).toContain('Germany,DEU');
    const summary = {
      backend: { choice: 'auto', backend: 'wasm', explanation: '', skipped: [], adapter: null, timestampQuery: false },
      data: { name: 'xor', trainExamples: 1, testExamples: 1, inputShape: [2], numClasses: 2 },
      metrics: { testAccuracy: 1, trainLoss: 0, epochs: 1, steps: 2, samplesPerSecond: 1, wallSeconds: 2 },
      lossCurve: [1, 0.5], epochs: [], outcome: 'finished', steps: [],
    } as const;
    const result = buildResult(defaultConfig(), summary, 'http://x/', new Date(T), fp);
    expect(validateResult(result)).toEqual([]);
    expect(validateResult(JSON.parse(JSON.stringify(result)))).toEqual([]);
  });
});

describe('providersFor', () => {
  const ctx = { fetch: () => Promise.reject(new Error('no network')), now: () => T, baseUrls: DEFAULT_BASE_URLS, credentials: NO_CREDENTIALS, trace: null, replaySpeed: 1 };
  const berlin = regionFromLocale('Europe/Berlin', 'de-DE');

  it('turns a missing key into a provider error, so the fallback applies with a message', async () => {
    const { primary, fallback } = providersFor({ provider: 'electricity-maps', zone: 'DE' }, berlin, ctx);
    const error = await primary.current().catch((e: unknown) => e);
    expect(isProviderError(error) && error.kind).toBe('unauthorized');
    expect((await fallback.current()).region).toBe('DEU');
  });

  it('reads the config: auto takes the browser default, UK regions and postcodes', () => {
    const carbon = defaultConfig().carbon;
    expect(regionChoiceFor(carbon, berlin)).toEqual({ provider: 'offline', country: 'DEU' });
    expect(regionChoiceFor({ ...carbon, source: 'uk-carbon-intensity', region: '13' }, berlin)).toEqual({ provider: 'uk-carbon-intensity', area: { kind: 'region', regionId: 13 } });
    expect(regionChoiceFor({ ...carbon, source: 'uk-carbon-intensity', region: 'rg10 1aa' }, berlin)).toEqual({ provider: 'uk-carbon-intensity', area: { kind: 'postcode', postcode: 'RG10' } });
  });

  it('gives a continued replay the clock stretches from before the reload', async () => {
    const HOUR = 3_600_000;
    const t0 = Date.UTC(2022, 5, 15);
    const trace = { name: 't', layout: 'two-column' as const, stepMs: HOUR, points: [100, 200, 300, 400, 500, 600].map((v, i) => ({ time: t0 + i * HOUR, intensity: gramsPerKWh(v) })) };
    // Trained from T at the trace's 00:00 for a minute (an hour a second), reloaded at T + 10 min at 04:00.
    const choice = { provider: 'replay' as const, traceName: 't' };
    const resumedAt = T + 600_000;
    const build = (earlier: readonly { wallStartMs: number; traceStartMs: number }[]) =>
      providersFor(choice, berlin, { ...ctx, now: () => resumedAt, trace, replaySpeed: 3600, replayStartMs: t0 + 4 * HOUR, replayEarlier: earlier }).primary;
    const priced = async (p: ReturnType<typeof build>) => (await p.history(T, T + 1)).points[0]?.intensity;
    expect(await priced(build([{ wallStartMs: T, traceStartMs: t0 }]))).toBe(100);
    // Without them, a step from before the reload is priced 600 simulated hours before 04:00.
    expect(await priced(build([]))).not.toBe(100);
  });

  it('accepts only http(s) base URLs', () => {
    expect(isUsableBaseUrl('')).toBe(true);
    expect(isUsableBaseUrl('http://127.0.0.1:8080/v3')).toBe(true);
    expect(isUsableBaseUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('energy and carbon settings in the link', () => {
  it('round-trips and rejects custom without watts', () => {
    const { config, issues } = parseLink('#pue=1.2&device=custom&maxW=45&idleW=8&carbon=replay&region=us-ciso-2022&speed=3600');
    expect(issues).toEqual([]);
    expect(config.energy).toEqual({ pue: 1.2, profile: 'custom', customMaxWatts: 45, customIdleWatts: 8 });
    expect(config.carbon).toEqual({ source: 'replay', region: 'us-ciso-2022', replaySpeed: 3600 });
    const bad = parseLink('#device=custom&region=a%3Cb');
    expect(bad.config.energy.profile).toBe('auto');
    expect(bad.issues.map((i) => i.field).sort()).toEqual(['device', 'region']);
  });
});
