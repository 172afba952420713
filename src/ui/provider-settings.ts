/**
 * The only code that stores carbon-provider credentials and addresses. They live in this
 * browser's localStorage under clearly named keys, are read by the Lab to build providers, and
 * are never put in the config, the link, a result, an export or a log.
 */
import { DEFAULT_BASE_URLS, NO_CREDENTIALS, type ProviderBaseUrls, type ProviderCredentials } from '../core/footprint/source';

/** localStorage key of the user's own API key and WattTime login. */
export const CREDENTIALS_KEY = 'carbon-aware-lab:provider-credentials';
/** localStorage key of the provider base URLs (for local test servers and proxies). */
export const BASE_URLS_KEY = 'carbon-aware-lab:provider-base-urls';

function read<T extends object>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return fallback;
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const out: Record<string, unknown> = { ...(fallback as Record<string, unknown>) };
    for (const k of Object.keys(fallback)) if (typeof parsed[k] === 'string') out[k] = parsed[k];
    return out as T;
  } catch {
    return fallback;
  }
}

function write(key: string, value: object | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage can be full or disabled (private mode): the values then last for this page only.
  }
}

export const loadCredentials = (): ProviderCredentials => read(CREDENTIALS_KEY, NO_CREDENTIALS);
export const saveCredentials = (c: ProviderCredentials): void => write(CREDENTIALS_KEY, c);
export const forgetCredentials = (): void => write(CREDENTIALS_KEY, null);
export const loadBaseUrls = (): ProviderBaseUrls => read(BASE_URLS_KEY, DEFAULT_BASE_URLS);
export const saveBaseUrls = (b: ProviderBaseUrls): void => write(BASE_URLS_KEY, b);
