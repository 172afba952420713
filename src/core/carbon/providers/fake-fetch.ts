import type { FetchLike } from '../provider';
import { responseFromFixture, type FixtureResponse } from './fixtures';

/** A request a fake fetch received. */
export interface RecordedRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly redirect: string;
  readonly credentials: string;
}

/**
 * What a fake answers: a fixture, `'offline'` (fetch rejects as a browser does without network),
 * `'hang'` (never answers until the request is aborted) or `{ redirectTo }` (a 302 elsewhere).
 */
export type FakeAnswer = FixtureResponse | 'offline' | 'hang' | { readonly redirectTo: string };

/** A fetch stand-in for tests and local demos: answers from `handler` and records every request. */
export function fakeFetch(handler: (url: string) => FakeAnswer): FetchLike & { readonly calls: RecordedRequest[] } {
  const calls: RecordedRequest[] = [];
  const fn: FetchLike = (url, init) => {
    calls.push({ url, headers: { ...init.headers }, redirect: init.redirect, credentials: init.credentials });
    const answer = handler(url);
    if (answer === 'offline') return Promise.reject(new TypeError('Failed to fetch'));
    // As fetch does: `redirect: 'error'` rejects; anything else follows, sending the same headers
    // (custom headers such as Electricity Maps' auth-token survive a cross-origin redirect).
    if (typeof answer === 'object' && 'redirectTo' in answer) {
      if (init.redirect === 'error') return Promise.reject(new TypeError('Failed to fetch'));
      return fn(answer.redirectTo, init);
    }
    if (answer === 'hang') {
      return new Promise((_, reject) => {
        init.signal.addEventListener('abort', () => reject(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' })), { once: true });
      });
    }
    return Promise.resolve(responseFromFixture(answer));
  };
  return Object.assign(fn, { calls });
}

/** A fake that serves `routes` (path and query relative to `baseUrl`) and answers 404 elsewhere. */
export function routeFetch(baseUrl: string, routes: Readonly<Record<string, FakeAnswer>>): ReturnType<typeof fakeFetch> {
  return fakeFetch((url) => {
    const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : null;
    const answer = path === null ? undefined : routes[path];
    return answer ?? { status: 404, body: { error: { code: '404', message: 'Not found' } } };
  });
}
