import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig, type ExperimentConfig } from '../core/config/schema';
import type { RunPhase } from '../core/train/types';
import type { InspectRequest, InspectSnapshot } from '../../workers/contract';
import { CONFUSION_EVERY_MS, Inspect, POLL_MS } from './inspect.svelte';

const snapshot = (withConfusion: boolean): InspectSnapshot => ({
  boundary: null,
  points: null,
  network: { sizes: [2, 1], kernels: [new Float32Array([0.5, 0])] },
  confusion: withConfusion ? { numClasses: 1, counts: new Uint32Array([3]), examples: [[0]], accuracy: 1 } : null,
  digits: null,
});

/** A worker whose answers the test releases one by one. */
function fakeHost() {
  const state = { phase: 'idle' as RunPhase, config: null as ExperimentConfig | null, model: 0 };
  const requests: InspectRequest[] = [];
  const answers: ((s: InspectSnapshot | null) => void)[] = [];
  const host = {
    worker: {
      inspect: (request: InspectRequest) => {
        requests.push(request);
        return new Promise<InspectSnapshot | null>((resolve) => answers.push(resolve));
      },
    },
    runConfig: () => state.config,
    phase: () => state.phase,
    modelVersion: () => state.model,
  };
  const answer = async (s: InspectSnapshot | null) => {
    answers.shift()?.(s);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { state, requests, answer, host };
}

describe('Inspect', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('polls a live run with one request in flight, POLL_MS after each answer', async () => {
    const { state, requests, answer, host } = fakeHost();
    const inspect = new Inspect(host);
    state.config = defaultConfig();
    state.phase = 'training';
    const stop = inspect.follow(true);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5 * POLL_MS);
    // Still waiting on the first answer: no second request.
    expect(requests).toHaveLength(1);
    await answer(snapshot(false));
    expect(inspect.network?.nonZero).toBe(1);
    await vi.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    stop();
    await answer(snapshot(false));
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(requests).toHaveLength(2);
  });

  it('asks for the points until it has them, and for the confusion matrix at most every CONFUSION_EVERY_MS', async () => {
    const { state, requests, answer, host } = fakeHost();
    const inspect = new Inspect(host);
    state.config = defaultConfig();
    state.phase = 'training';
    const stop = inspect.follow(true);
    expect(requests[0]).toMatchObject({ points: true, confusion: true });
    await answer({ ...snapshot(true), points: { xy: new Float32Array(2), labels: new Uint8Array(1), testFrom: 1 } });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(requests[1]).toMatchObject({ points: false, confusion: false });
    for (let t = 0; t < CONFUSION_EVERY_MS; t += POLL_MS) {
      await answer(snapshot(false));
      await vi.advanceTimersByTimeAsync(POLL_MS);
    }
    expect(requests.at(-1)?.confusion).toBe(true);
    expect(inspect.confusion?.matrix.counts[0]).toBe(3);
    stop();
  });

  it('takes one final snapshot when the run settles, and none off screen', async () => {
    const { state, requests, answer, host } = fakeHost();
    const inspect = new Inspect(host);
    state.config = defaultConfig();
    state.phase = 'finished';
    inspect.follow(false);
    expect(requests).toHaveLength(0);
    inspect.follow(true);
    inspect.follow(true);
    expect(requests).toEqual([{ grid: 64, points: true, confusion: true }]);
    await answer(snapshot(true));
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(requests).toHaveLength(1);
    expect(inspect.received).toBe(1);
  });

  it('takes one more snapshot when the settled model changes (a one-shot prune), and only one', async () => {
    const { state, requests, answer, host } = fakeHost();
    const inspect = new Inspect(host);
    state.config = defaultConfig();
    state.phase = 'finished';
    inspect.follow(true);
    await answer(snapshot(true));
    expect(requests).toHaveLength(1);
    state.model = 1;
    inspect.follow(true);
    inspect.follow(true);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.confusion).toBe(true);
    await answer(snapshot(true));
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(requests).toHaveLength(2);
    expect(inspect.received).toBe(2);
  });

  it('drops an answer that arrives after a new run started', async () => {
    const { state, answer, host } = fakeHost();
    const inspect = new Inspect(host);
    state.config = defaultConfig();
    state.phase = 'training';
    const stop = inspect.follow(true);
    stop();
    state.config = defaultConfig();
    inspect.follow(true)();
    await answer(snapshot(false));
    expect(inspect.snapshot).toBeNull();
  });
});
