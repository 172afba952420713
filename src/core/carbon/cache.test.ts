import { describe, expect, it } from 'vitest';
import { cachedProvider, DEFAULT_RATE_LIMIT_WAIT_MS } from './cache';
import { withFallback } from './fallback';
import type { CarbonProviderError } from './provider';
import { createElectricityMapsProvider } from './providers/electricity-maps';
import { fakeFetch, type FakeAnswer } from './providers/fake-fetch';
import { ELECTRICITY_MAPS_FIXTURES, FIXTURE_NOW } from './providers/fixtures';
import { createOfflineProvider } from './providers/offline';

const BASE = 'http://127.0.0.1:9999/em/v3';

function setup(answers: FakeAnswer[]) {
  const clock = { t: FIXTURE_NOW };
  let i = 0;
  const fetch = fakeFetch(() => answers[Math.min(i++, answers.length - 1)] as FakeAnswer);
  const inner = createElectricityMapsProvider({ fetch, now: () => clock.t, baseUrl: BASE, apiKey: 'k', zone: 'DE' });
  const cached = cachedProvider(inner, { now: () => clock.t, ttl: { current: 60_000 } });
  return { clock, fetch, cached };
}

describe('cachedProvider', () => {
  it('answers from memory while fresh and asks again when stale', async () => {
    const { clock, fetch, cached } = setup([ELECTRICITY_MAPS_FIXTURES.latest]);
    const a = await cached.current();
    const b = await cached.current();
    expect(b).toBe(a);
    expect(fetch.calls).toHaveLength(1);
    expect(cached.entries()[0]).toMatchObject({ key: 'electricity-maps|DE|current', fetchedAt: FIXTURE_NOW });
    clock.t += 60_001;
    await cached.current();
    expect(fetch.calls).toHaveLength(2);
  });

  it('shares one request between identical questions in flight', async () => {
    const { fetch, cached } = setup([ELECTRICITY_MAPS_FIXTURES.latest]);
    await Promise.all([cached.current(), cached.current(), cached.current()]);
    expect(fetch.calls).toHaveLength(1);
  });

  it('after a 429 sends nothing until Retry-After has passed, serving the old answer marked stale', async () => {
    const { clock, fetch, cached } = setup([ELECTRICITY_MAPS_FIXTURES.latest, ELECTRICITY_MAPS_FIXTURES.rateLimited, ELECTRICITY_MAPS_FIXTURES.latest]);
    await cached.current();
    clock.t += 60_001;
    const stale = await cached.current();
    expect(stale.stale).toBe(true);
    expect(cached.pausedUntil()).toBe(clock.t + 120_000);
    clock.t += 60_000;
    expect((await cached.current()).stale).toBe(true);
    expect(fetch.calls).toHaveLength(2);
    clock.t += 60_001;
    expect((await cached.current()).stale).toBeUndefined();
    expect(fetch.calls).toHaveLength(3);
  });

  it('with nothing cached, repeats the rate-limit error during the pause without a request', async () => {
    const { clock, fetch, cached } = setup([{ status: 429, body: {} }]);
    await expect(cached.current()).rejects.toMatchObject({ kind: 'rate-limited' });
    clock.t += 1000;
    const again = (await cached.current().then(
      () => null,
      (e: unknown) => e,
    )) as CarbonProviderError;
    expect(again.kind).toBe('rate-limited');
    expect(again.retryAfterMs).toBe(DEFAULT_RATE_LIMIT_WAIT_MS - 1000);
    expect(fetch.calls).toHaveLength(1);
  });
});

describe('withFallback', () => {
  it('uses the offline average when the primary fails, and says what happened', async () => {
    const { cached } = setup(['offline']);
    const fallback = createOfflineProvider({ country: 'DE', now: () => FIXTURE_NOW });
    const outcome = await withFallback(cached, fallback, (p) => p.current());
    expect(outcome.usedFallback).toBe(true);
    expect(outcome.error?.kind).toBe('offline');
    expect(outcome.series.provider).toBe('offline');
    expect(outcome.series.points[0]?.intensity).toBeGreaterThan(0);
    expect(outcome.notice).toContain('could not be reached');
    expect(outcome.notice).toContain('Germany');
  });

  it('passes a good answer through with no notice', async () => {
    const { cached } = setup([ELECTRICITY_MAPS_FIXTURES.latest]);
    const outcome = await withFallback(cached, createOfflineProvider({ country: 'DE', now: () => 0 }), (p) => p.current());
    expect(outcome).toMatchObject({ usedFallback: false, notice: null, error: null });
  });

  it('does not fall back when the caller cancelled', async () => {
    const { cached } = setup(['hang']);
    const controller = new AbortController();
    const pending = withFallback(cached, createOfflineProvider({ country: 'DE', now: () => 0 }), (p) => p.current(controller.signal));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });
});
