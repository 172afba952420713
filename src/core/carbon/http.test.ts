import { describe, expect, it } from 'vitest';
import { getJson, parseRetryAfter, redact, type RequestContext } from './http';
import { FALLBACK_SENTENCE, type CarbonProviderError, type FetchLike } from './provider';
import { fakeFetch, type FakeAnswer } from './providers/fake-fetch';
import { FIXTURE_NOW, HTTP_FAILURE_FIXTURES } from './providers/fixtures';

const ctx = (answer: FakeAnswer, timeoutMs = 1000): RequestContext => ({
  provider: 'electricity-maps',
  label: 'Electricity Maps',
  fetch: fakeFetch(() => answer),
  now: () => FIXTURE_NOW,
  timeoutMs,
});

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as CarbonProviderError);

describe('getJson failures', () => {
  it('calls a rejected fetch offline and names the fallback', async () => {
    const e = await failure(getJson(ctx('offline'), 'http://x/', {}));
    expect(e.kind).toBe('offline');
    expect(e.message).toContain('could not be reached');
    expect(e.message).toContain(FALLBACK_SENTENCE);
  });

  it('gives up after the time limit with a timeout error', async () => {
    const e = await failure(getJson(ctx('hang', 20), 'http://x/', {}));
    expect(e.kind).toBe('timeout');
    expect(e.message).toContain('did not answer in time');
  });

  it('stops when the caller aborts, without promising a fallback', async () => {
    const controller = new AbortController();
    const pending = failure(getJson(ctx('hang'), 'http://x/', {}, controller.signal));
    controller.abort();
    const e = await pending;
    expect(e.kind).toBe('aborted');
    expect(e.message).not.toContain(FALLBACK_SENTENCE);
  });

  it.each([
    [HTTP_FAILURE_FIXTURES.serviceUnavailable, 'server', 503],
    [HTTP_FAILURE_FIXTURES.internalError, 'server', 500],
    [HTTP_FAILURE_FIXTURES.rateLimitedNoHeader, 'rate-limited', 429],
    [HTTP_FAILURE_FIXTURES.notJson, 'malformed', 200],
    [{ status: 401, body: {} }, 'unauthorized', 401],
    [{ status: 403, body: {} }, 'forbidden', 403],
    [{ status: 404, body: {} }, 'not-found', 404],
  ] as const)('maps status %#: %s', async (fixture, kind, status) => {
    const e = await failure(getJson(ctx(fixture), 'http://x/', {}));
    expect(e).toMatchObject({ kind, status });
    expect(e.message).toContain(`HTTP ${status}`);
  });

  it('reads a Retry-After date relative to the injected clock', async () => {
    const e = await failure(getJson(ctx(HTTP_FAILURE_FIXTURES.rateLimitedHttpDate), 'http://x/', {}));
    expect(e.retryAfterMs).toBe(5 * 60_000);
  });

  it('never puts the URL into the message', async () => {
    const e = await failure(getJson(ctx('offline'), 'http://secret-host.example/path?x=1', {}));
    expect(e.message).not.toContain('secret-host');
  });
});

describe('FetchLike', () => {
  it('accepts the global fetch, so the app can pass it straight in', () => {
    const real: FetchLike = fetch;
    expect(typeof real).toBe('function');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, HTTP dates and rubbish', () => {
    expect(parseRetryAfter('30', 0)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 120_000)).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});

describe('redact', () => {
  it('removes every occurrence of each secret', () => {
    expect(redact('key abc and abc again', ['abc'])).toBe('key [redacted] and [redacted] again');
    expect(redact('nothing', ['', 'zzz'])).toBe('nothing');
  });
});
