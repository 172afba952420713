/**
 * Property tests (fast-check) for the readers of outside input: whatever text or bytes they get,
 * each returns or throws only its own named error, quickly, and never builds more than its cap.
 */
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildExportZip, readExportZip } from './compress/archive';
import { ModelFileError, writeLayersModel } from './compress/manifest';
import { parseLink } from './config/link';
import { DatasetFormatError, decodeDatasetFile, decodeDatasetHeader, encodeDatasetFile } from './data/format';
import { MAX_TRACE_POINTS } from './trace/grid';
import { parseTrace, TraceError } from './trace/parse';

/** Runs `fn`, failing on any throw that is not an `ErrorType` and on any run longer than `ms`. */
function onlyThrows<T>(ErrorType: new (...args: never[]) => Error, ms: number, fn: () => T): T | null {
  const started = performance.now();
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ErrorType)) throw new Error(`threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return null;
  } finally {
    expect(performance.now() - started).toBeLessThan(ms);
  }
}

const RUNS = { numRuns: 300 };

/** Milliseconds `fn` takes. */
function timed(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

describe('parseLink', () => {
  const keys = ['v', 'dataset', 'dataUrl', 'samples', 'hidden', 'lr', 'batch', 'epochs', 'seed', 'backend', 'start', 'trace', 'x'];
  const pair = fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 30 })).map(([k, v]) => `${k}=${v}`);
  const link = fc.oneof(fc.string({ maxLength: 2000 }), fc.array(pair, { maxLength: 60 }).map((ps) => `https://lab/#${ps.join('&')}`));

  it('never throws, in bounded time, whatever the link', () => {
    fc.assert(fc.property(link, (text) => {
      const parsed = parseLink(text);
      expect(parsed.config).toBeDefined();
      // The quicker of two parses: a pathological link is slow every time, while a pause of the
      // shared test machine (a GC, another process) is not, and once made one parse take 200.6 ms.
      expect(Math.min(timed(() => parseLink(text)), timed(() => parseLink(text)))).toBeLessThan(200);
    }), RUNS);
  });
});

describe('parseTrace', () => {
  const header = fc.constantFrom('timestamp,gCO2/kWh', 'time,kgCO2/kWh', 'datetime_utc,lb/MWh', 'period,ci', 'time,ci [oz/kWh]', 'timestamp,WND,SUN,WAT,OIL,NG,COL,NUC,OTH,avg_CI', 'a,b');
  const time = fc.date({ min: new Date('0001-01-01T00:00Z'), max: new Date('9999-12-31T23:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
  const cell = fc.oneof(fc.double({ min: -10, max: 1e6, noNaN: true }).map(String), fc.constant(''), fc.string({ maxLength: 8 }));
  const row = fc.oneof(fc.tuple(time, cell).map(([t, v]) => `${t},${v}`), fc.string({ maxLength: 40 }));
  const sortedRows = fc.array(fc.tuple(fc.integer({ min: 1, max: 48 * 3600 }), cell), { minLength: 1, maxLength: 200 }).map((steps) => {
    let t = Date.UTC(2022, 0, 1);
    return steps.map(([dt, v]) => `${new Date((t += dt * 1000)).toISOString()},${v}`);
  });
  // Rows far apart in time: a gap bomb unless the cap holds.
  const farApart = fc.array(time, { minLength: 2, maxLength: 5 }).map((ts) => [...new Set(ts)].sort().map((t) => `${t},300`));
  const text = fc.tuple(header, fc.oneof(fc.array(row, { maxLength: 50 }), sortedRows, farApart)).map(([h, rows]) => [h, ...rows].join('\n'));

  it('returns a trace within the point cap or throws TraceError, in bounded time', () => {
    fc.assert(fc.property(text, fc.string({ maxLength: 20 }), (csv, name) => {
      const parsed = onlyThrows(TraceError, 2000, () => parseTrace(csv, name || 'x.csv'));
      if (parsed) expect(parsed.trace.points.length).toBeLessThanOrEqual(MAX_TRACE_POINTS);
    }), RUNS);
  });
});

describe('dataset header and file', () => {
  const valid = encodeDatasetFile({ rows: 2, cols: 2, channels: 1, numClasses: 3, pixels: new Uint8Array(12), labels: Uint8Array.from([0, 1, 2]) });
  const catd = fc.uint8Array({ minLength: 12, maxLength: 200 }).map((rest) => Uint8Array.from([...strToU8('CATD'), 1, ...rest]));
  const mutated = fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((flips) => {
    const c = valid.slice();
    for (const [i, b] of flips) c[i] = b;
    return c;
  });

  it('decodes or throws DatasetFormatError for any bytes, without reading past them', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 100 }), catd, mutated), (bytes) => {
      const header = onlyThrows(DatasetFormatError, 200, () => decodeDatasetHeader(bytes, 'f.bin'));
      const file = onlyThrows(DatasetFormatError, 200, () => decodeDatasetFile(bytes, 'f.bin'));
      if (file) expect(header?.totalBytes).toBe(bytes.length);
    }), RUNS);
  });
});

describe('readExportZip', () => {
  const model = writeLayersModel({ class_name: 'Sequential', config: { name: 't', layers: [] } }, [
    { name: 'k', shape: [3, 2], values: Float32Array.from([1, 0, 2, 0, 3, 0]) },
  ]);
  const zip = buildExportZip({ model, metadataJson: '{}', runCsv: 'step,loss\n' });
  const mutated = fc.array(fc.tuple(fc.nat(zip.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
    const c = zip.slice();
    for (const [i, b] of flips) c[i] = b;
    return c;
  });
  const truncated = fc.nat(zip.length).map((n) => zip.slice(0, n));
  const random = fc.uint8Array({ maxLength: 400 });
  // Flat, distinct entry names: fflate reads "a/b" beside "a" as a folder and an options pair, which
  // is about building the input, not about the reader under test.
  const entryName = fc.stringMatching(/^[a-z0-9_.-]{1,12}$/).filter((n) => !(n in Object.prototype) && n !== '__proto__');
  const otherZip = fc
    .uniqueArray(fc.tuple(entryName, fc.uint8Array({ maxLength: 64 })), { maxLength: 5, selector: ([n]) => n })
    .map((entries) => zipSync(Object.fromEntries(entries)));

  it('reads or throws ModelFileError for any bytes, in bounded time', () => {
    fc.assert(fc.property(fc.oneof(mutated, truncated, random, otherZip), (bytes) => {
      onlyThrows(ModelFileError, 1000, () => readExportZip(bytes));
    }), RUNS);
  });
});
