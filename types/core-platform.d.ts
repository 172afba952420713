/**
 * The few web-platform globals src/core may use, declared for its own type check
 * (tsconfig.core.json, lib ES2022 only). Each exists on the page, in workers and in Node 18+ (the
 * WinterTC minimum common API, https://min-common-api.proposal.wintertc.org/), so core runs on
 * every thread. Nothing here is a DOM or worker API: `document`, `window`, `navigator`, `self`,
 * `location`, `fetch` and storage are not declared, so core cannot reach them; it is handed what
 * it needs (a fetch, a clock, a base URL) instead. The shapes are the subsets core calls.
 */

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare const AbortSignal: { prototype: AbortSignal; timeout(ms: number): AbortSignal };

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare const AbortController: { prototype: AbortController; new (): AbortController };

declare function setTimeout(handler: () => void, timeout?: number): number;
declare function clearTimeout(id: number | undefined): void;

declare function structuredClone<T>(value: T): T;
declare function btoa(data: string): string;

interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare const TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoder {
  decode(input?: Uint8Array): string;
}
declare const TextDecoder: { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean }): TextDecoder };

interface URL {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
}
declare const URL: { prototype: URL; new (url: string, base?: string): URL; canParse(url: string, base?: string): boolean };

declare const crypto: { readonly subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> } };

interface ReadableStreamDefaultReader<R> {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: R }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}
interface ReadableStream<R> {
  getReader(): ReadableStreamDefaultReader<R>;
}
