import {
  CarbonProviderError,
  DEFAULT_TIMEOUT_MS,
  type FetchLike,
  type ProviderErrorKind,
  type ProviderId,
} from './provider';

/** Who is asking, for error messages. */
export interface RequestContext {
  readonly provider: ProviderId;
  readonly label: string;
  readonly fetch: FetchLike;
  readonly now: () => number;
  readonly timeoutMs?: number;
  /** Strings that must never appear in an error message (keys, passwords, tokens). */
  readonly secrets?: readonly string[];
}

/**
 * Milliseconds to wait from a Retry-After header: either delay-seconds or an HTTP-date
 * (RFC 9110, section 10.2.3). Null when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Replace every secret in a text by a placeholder. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]');
  return out;
}

const kindForStatus = (status: number): ProviderErrorKind =>
  status === 401
    ? 'unauthorized'
    : status === 403
      ? 'forbidden'
      : status === 404
        ? 'not-found'
        : status === 429
          ? 'rate-limited'
          : status >= 500
            ? 'server'
            : 'bad-request';

/** A short, secret-free detail from an error body like `{"error":{"message":"..."}}`, or ''. */
function errorDetail(body: string, secrets: readonly string[]): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '';
  }
  const obj = parsed as { error?: unknown; message?: unknown };
  const inner = typeof obj.error === 'object' && obj.error !== null ? (obj.error as { message?: unknown }).message : obj.error;
  const message = typeof inner === 'string' ? inner : typeof obj.message === 'string' ? obj.message : '';
  const clean = redact(message, secrets).replace(/\s+/g, ' ').trim();
  return clean === '' ? '' : `It said: "${clean.length > 160 ? `${clean.slice(0, 157)}...` : clean}"`;
}

/**
 * GET a URL and parse its JSON body. Maps every failure to a CarbonProviderError: a thrown fetch to
 * `offline`, the time limit to `timeout`, the caller's signal to `aborted`, HTTP statuses to their
 * kinds (429 with Retry-After), and an unparseable body to `malformed`.
 */
export async function getJson(
  ctx: RequestContext,
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<unknown> {
  const fail = (kind: ProviderErrorKind, options: ConstructorParameters<typeof CarbonProviderError>[3] = {}) =>
    new CarbonProviderError(ctx.provider, ctx.label, kind, options);
  if (signal?.aborted === true) throw fail('aborted');

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const interrupted = (): CarbonProviderError | null => (timedOut ? fail('timeout') : signal?.aborted === true ? fail('aborted') : null);

  try {
    let response;
    try {
      const init = { method: 'GET', headers: { accept: 'application/json', ...headers }, signal: controller.signal, redirect: 'error', credentials: 'omit' } as const;
      response = await ctx.fetch(url, init);
    } catch {
      throw interrupted() ?? fail('offline');
    }
    let body: string;
    try {
      body = await response.text();
    } catch {
      throw interrupted() ?? fail('offline', { status: response.status });
    }
    if (!response.ok) {
      const kind = kindForStatus(response.status);
      const retryAfterMs = kind === 'rate-limited' ? parseRetryAfter(response.headers.get('retry-after'), ctx.now()) : null;
      const detail = kind === 'bad-request' || kind === 'not-found' ? errorDetail(body, ctx.secrets ?? []) : '';
      throw fail(kind, { status: response.status, retryAfterMs, detail });
    }
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw fail('malformed', { status: response.status, detail: 'The response was not JSON' });
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Base URL without trailing slashes. */
export const trimBase = (url: string): string => url.replace(/\/+$/, '');
