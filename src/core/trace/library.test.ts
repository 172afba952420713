import { describe, expect, it } from 'vitest';
import { createTraceLibrary, UPLOADED_TRACE, type TraceFetch } from './library';

const CSV = 'timestamp,carbon_intensity_gco2_per_kwh\n2022-01-01T00:00:00Z,100\n2022-01-01T01:00:00Z,200\n';

/** A fake fetch that answers from a table and counts its calls. */
function fakeFetch(answers: Record<string, { status: number; body?: string } | Error>): TraceFetch & { calls: string[] } {
  const calls: string[] = [];
  const f = async (url: string) => {
    calls.push(url);
    const a = answers[url];
    if (a === undefined) return { ok: false, status: 404, text: async () => '' };
    if (a instanceof Error) throw a;
    return { ok: a.status >= 200 && a.status < 300, status: a.status, text: async () => a.body ?? '' };
  };
  return Object.assign(f, { calls });
}

const BASE = 'https://lab.example/app/';
const url = (name: string) => `${BASE}traces/${name}.csv`;

describe('createTraceLibrary', () => {
  it('fetches a bundled trace beside the page once and parses it', async () => {
    const fetch = fakeFetch({ [url('grid')]: { status: 200, body: CSV } });
    const library = createTraceLibrary(fetch, () => `${BASE}#v=1`);
    const first = await library.get('grid');
    const second = await library.get('grid');
    expect(first.trace.points.map((p) => p.intensity)).toEqual([100, 200]);
    expect(first.fileName).toBe('grid.csv');
    expect(second).toBe(first);
    expect(fetch.calls).toEqual([url('grid')]);
  });

  it('names the address and the status of a failed fetch, and asks again next time', async () => {
    const fetch = fakeFetch({});
    const library = createTraceLibrary(fetch, () => BASE);
    await expect(library.get('missing')).rejects.toThrow(`Could not load the trace ${url('missing')}: the server answered 404.`);
    await expect(library.get('missing')).rejects.toThrow('404');
    expect(fetch.calls).toHaveLength(2);
  });

  it('names the address of a network failure', async () => {
    const library = createTraceLibrary(fakeFetch({ [url('grid')]: new Error('offline') }), () => BASE);
    await expect(library.get('grid')).rejects.toThrow(`Could not load the trace ${url('grid')}: offline.`);
  });

  it('holds one upload, served under the upload name, until it is cleared', async () => {
    const library = createTraceLibrary(fakeFetch({}), () => BASE);
    await expect(library.get(UPLOADED_TRACE)).rejects.toThrow('No trace was uploaded');
    const held = library.upload(CSV, 'mine.csv');
    expect(library.uploaded()).toBe(held);
    expect(await library.get(UPLOADED_TRACE)).toBe(held);
    library.clearUpload();
    expect(library.uploaded()).toBeNull();
  });

  it('keeps the earlier upload when a new file does not parse', () => {
    const library = createTraceLibrary(fakeFetch({}), () => BASE);
    const held = library.upload(CSV, 'mine.csv');
    expect(() => library.upload('not,a,trace\n', 'bad.csv')).toThrow();
    expect(library.uploaded()).toBe(held);
  });
});
