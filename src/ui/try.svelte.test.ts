import { describe, expect, it } from 'vitest';
import { parseLink } from '../core/config/link';
import type { DataSummary, RunSummary } from '../core/train/types';
import type { PredictRequest, Prediction } from '../../workers/contract';
import { TABLE_MISSING, TryModel, type TryHost } from './try.svelte';
import { WorkerResetError } from './bridge';
import { buildTabular, cellValue, type RowEncoding } from '../core/tabular/encode';
import { parseTableText } from '../core/tabular/table';

/** A small table with a decimal-comma number, a category and gaps, as the worker reads it. */
const PARTS = buildTabular(
  parseTableText(`length;colour;kind\n${Array.from({ length: 20 }, (_, i) => `${i % 5 === 0 ? '' : `${i},5`};${i % 4 === 0 ? '' : i % 2 ? 'red' : 'blue'};${i % 2 ? 'a' : 'b'}`).join('\n')}`),
  { label: '', features: [], testFraction: 0.25, seed: 1 },
  'parts.csv',
);

const BLOBS: DataSummary = { name: 'blobs', trainExamples: 480, testExamples: 120, inputShape: [2], numClasses: 3 };
const MNIST: DataSummary = { name: 'MNIST', trainExamples: 8000, testExamples: 2000, inputShape: [28, 28, 1], numClasses: 10 };

const answer = (request: PredictRequest): Prediction => ({
  probabilities: [0.2, 0.7, 0.1],
  topClass: 1,
  ms: 0.5,
  backend: 'wasm',
  energyWh: null,
  model: request.model,
});

/** A host whose run and export can change, and a worker that records each request and answers when told. */
function setup(link: string, data: DataSummary, table: RowEncoding | null = null) {
  const state = $state({ summary: { outcome: 'finished' } as RunSummary | null, zip: null as ArrayBuffer | null });
  const requests: PredictRequest[] = [];
  const pending: { resolve: (p: Prediction) => void; reject: (e: Error) => void; request: PredictRequest }[] = [];
  const config = parseLink(link).config;
  const host: TryHost = {
    worker: {
      predict: (request) =>
        new Promise((resolve, reject) => {
          requests.push(request);
          pending.push({ resolve, reject, request });
        }),
      testExample: async (index) => ({ input: Float32Array.of(index, 1).buffer, label: 2, index, count: 120, inputShape: [2] }),
    },
    run: () => (state.summary ? { summary: state.summary, config, data } : null),
    device: () => null,
    table: () => table,
    exported: () => (state.zip ? { zip: state.zip, label: 'trained model, uint8' } : null),
  };
  const answerAll = async () => {
    for (const p of pending.splice(0)) p.resolve(answer(p.request));
    await new Promise((r) => setTimeout(r, 0));
  };
  return { t: new TryModel(host), state, requests, pending, answerAll };
}

describe('TryModel', () => {
  it('sends a typed point as one input of the model shape and shows the answer for that run only', async () => {
    const { t, state, requests, answerAll } = setup('#dataset=blobs', BLOBS);
    expect(t.kind).toBe('row');
    expect(t.fieldNames).toEqual(['x', 'y']);
    expect(t.labels).toEqual(['class 0', 'class 1', 'class 2']);
    const done = t.classifyRow(['0.6', '0,5']);
    expect(t.busy).toBe(true);
    await answerAll();
    await done;
    expect(Array.from(requests[0]?.input ?? [])).toEqual([Math.fround(0.6), 0.5]);
    expect(requests[0]?.model).toBe('trained');
    expect(t.shown?.what).toBe('the point (0.6, 0.5)');
    expect(t.shown?.prediction.topClass).toBe(1);
    // A new run: the old answer is not shown for its model.
    state.summary = { outcome: 'finished' } as RunSummary;
    expect(t.shown).toBeNull();
  });

  it('encodes a row typed by column name as training encoded that row of the file', async () => {
    const { t, requests, answerAll } = setup('#dataset=table', { name: 'parts.csv', trainExamples: 15, testExamples: 5, inputShape: [3], numClasses: 2 }, PARTS.encoding);
    expect(t.kind).toBe('row');
    expect(t.fieldNames).toEqual(['length', 'colour']);
    const done = t.classifyTableRow(['3,5', 'red']);
    await answerAll();
    await done;
    const f = PARTS.encoding.features;
    const { split } = PARTS;
    // Some example of the file has length 3,5 and colour red: row 3.
    const trained = Array.from({ length: split.train.y.length + split.test.y.length }, (_, k) => {
      const d = k < split.train.y.length ? split.train : split.test;
      const i = k < split.train.y.length ? k : k - split.train.y.length;
      return Array.from(d.x.subarray(i * 3, i * 3 + 3)).join();
    });
    expect(cellValue(f[0] as (typeof f)[number], '3,5')).toBe(3.5);
    expect(trained).toContain(Array.from(requests[0]?.input ?? []).join());
    expect(t.shown?.what).toBe('the row (length 3.5, colour red)');
    // Empty fields are filled in as training filled them (median, most frequent), and said so.
    void t.classifyTableRow(['', '']);
    await answerAll();
    expect(t.shown?.what).toMatch(/^the row \(length [\d.]+ \(median\), colour (red|blue) \(most frequent\)\)$/);
  });

  it('names a typed table field that is not a number or an unseen category, and sends nothing', async () => {
    const { t, requests } = setup('#dataset=table', { name: 'parts.csv', trainExamples: 15, testExamples: 5, inputShape: [3], numClasses: 2 }, PARTS.encoding);
    await t.classifyTableRow([null, 'red']);
    expect(t.error).toMatch(/^length is not a number: type one, or leave it empty to use the training median \([\d.]+\); nothing was classified\.$/);
    await t.classifyTableRow(['2', 'green']);
    expect(t.error).toBe('colour is "green", which training never saw; choose one of "red", "blue"; nothing was classified.');
    expect(requests).toEqual([]);
  });

  it('refuses to type a table row when the encoding the run trained with is not at hand', async () => {
    const { t, requests } = setup('#dataset=table', { name: 'parts.csv', trainExamples: 15, testExamples: 5, inputShape: [3], numClasses: 2 }, null);
    expect(t.tableMissing).toBe(true);
    await t.classifyRow(['1', '2', '3']);
    expect(t.error).toBe(TABLE_MISSING);
    await t.classifyTableRow(['1', 'red']);
    expect(t.error).toBe(TABLE_MISSING);
    expect(requests).toEqual([]);
  });

  it('names a bad field and sends nothing', async () => {
    const { t, requests } = setup('#dataset=blobs', BLOBS);
    await t.classifyRow(['1', '']);
    expect(t.error).toBe('y is empty: type a number; nothing was classified.');
    expect(requests).toEqual([]);
  });

  it('says to train first before a run, and that an empty canvas has no digit', async () => {
    const { t, state, requests } = setup('#dataset=mnist', MNIST);
    expect(t.kind).toBe('digit');
    await t.classifyInk(new Float32Array(280 * 280), 280, 280);
    expect(t.error).toBe('The canvas is empty: draw a digit first.');
    state.summary = null;
    await t.classify(new Float32Array(784), 'x');
    expect(t.error).toMatch(/^There is no trained model yet/);
    expect(requests).toEqual([]);
  });

  it('drops an older answer that arrives after a newer input was sent', async () => {
    const { t, pending } = setup('#dataset=blobs', BLOBS);
    const first = t.classifyRow(['1', '1']);
    const second = t.classifyRow(['2', '2']);
    const [a, b] = pending.splice(0);
    b?.resolve(answer(b.request));
    await second;
    a?.resolve({ ...answer(a.request), topClass: 0 });
    await first;
    expect(t.shown?.what).toBe('the point (2, 2)');
    expect(t.busy).toBe(false);
  });

  it('runs the export only while one exists, and classifies the last input again on a switch', async () => {
    const { t, state, requests, answerAll } = setup('#dataset=blobs', BLOBS);
    t.choice = 'export';
    expect(t.model).toBe('trained');
    state.zip = new ArrayBuffer(4);
    expect(t.model).toBe('export');
    const done = t.classifyRow(['0', '1']);
    await answerAll();
    await done;
    expect(requests[0]?.exportZip).toBe(state.zip);
    const again = t.choose('trained');
    await answerAll();
    await again;
    expect(requests[1]?.model).toBe('trained');
    expect(Array.from(requests[1]?.input ?? [])).toEqual([0, 1]);
    expect(t.shown?.prediction.model).toBe('trained');
  });

  it('tries a test example with its true class, and keeps quiet when the worker was reset', async () => {
    const { t, pending, answerAll } = setup('#dataset=blobs', BLOBS);
    const done = t.classifyTestExample();
    await new Promise((r) => setTimeout(r, 0));
    await answerAll();
    await done;
    expect(t.shown?.label).toBe(2);
    expect(t.shown?.what).toBe('test example 1 of 120');
    const reset = t.classifyRow(['1', '2']);
    pending.splice(0)[0]?.reject(new WorkerResetError());
    await reset;
    expect(t.error).toBeNull();
  });
});
