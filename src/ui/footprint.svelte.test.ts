import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLink } from '../core/config/link';
import { Footprint } from './footprint.svelte';
import type { TraceShelf } from './traces.svelte';

const { config } = parseLink('#dataset=xor&carbon=uk-carbon-intensity');
const noTraces = {} as TraceShelf;

/** A fetch whose answers wait until `answer()` is called: a slow provider. */
function slowFetch() {
  const waiting: (() => void)[] = [];
  const fetchStub = vi.fn(
    () =>
      new Promise<Response>((resolve) => {
        waiting.push(() => resolve(new Response('{"data":[]}', { status: 200 })));
      }),
  );
  return { fetchStub, answer: () => waiting.splice(0).forEach((r) => r()) };
}

describe('the intensity refresh timer', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is not started for a run that ended (failed) while a slow provider was still answering', async () => {
    vi.useFakeTimers();
    const slow = slowFetch();
    vi.stubGlobal('fetch', slow.fetchStub);
    const footprint = new Footprint(noTraces);
    footprint.startRun(config);
    await vi.advanceTimersByTimeAsync(10);
    expect(slow.fetchStub).toHaveBeenCalled();
    const ended = footprint.endRun();
    slow.answer();
    await vi.advanceTimersByTimeAsync(10);
    slow.answer();
    await ended;
    expect(vi.getTimerCount()).toBe(0);
    const asked = slow.fetchStub.mock.calls.length;
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(slow.fetchStub.mock.calls.length).toBe(asked);
  });

  it('is not started for a run that was reset while the provider was answering', async () => {
    vi.useFakeTimers();
    const slow = slowFetch();
    vi.stubGlobal('fetch', slow.fetchStub);
    const footprint = new Footprint(noTraces);
    footprint.startRun(config);
    await vi.advanceTimersByTimeAsync(10);
    footprint.abandonRun();
    slow.answer();
    await vi.advanceTimersByTimeAsync(10);
    slow.answer();
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs during a run and stops when it ends', async () => {
    vi.useFakeTimers();
    const slow = slowFetch();
    vi.stubGlobal('fetch', slow.fetchStub);
    const footprint = new Footprint(noTraces);
    footprint.startRun(config);
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(10);
      slow.answer();
    }
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const ended = footprint.endRun();
    await vi.advanceTimersByTimeAsync(10);
    slow.answer();
    await ended;
    expect(vi.getTimerCount()).toBe(0);
  });
});
