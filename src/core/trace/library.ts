/**
 * The page's one trace library: bundled traces are fetched and parsed once (a failed fetch is
 * forgotten, so the next ask tries again), and at most one uploaded trace is held. Every consumer
 * (the replay intensity source, the simulated schedule, the sweep's pricing) asks here, so a
 * trace fails the same way everywhere: with a message naming the address or the line.
 */
import { parseTrace, type ParsedTrace } from './parse';

/** The part of `fetch` the library uses; tests pass a fake. */
export type TraceFetch = (url: string) => Promise<{ readonly ok: boolean; readonly status: number; text(): Promise<string> }>;

/** The name that means the uploaded trace rather than a bundled one. */
export const UPLOADED_TRACE = 'upload';

/** A parsed trace and the file name it came from. */
export interface NamedTrace extends ParsedTrace {
  readonly fileName: string;
}

export interface TraceLibrary {
  /**
   * The trace a name stands for: the upload for UPLOADED_TRACE, else the bundled trace of that
   * name. Rejects with a message naming the address and the server's answer, the line of a parse
   * problem, or that no trace was uploaded.
   */
  get(name: string): Promise<NamedTrace>;
  /** Parses an uploaded file and holds it (replacing any earlier upload); throws a TraceError naming the line. */
  upload(text: string, fileName: string): NamedTrace;
  /** The uploaded trace, or null. */
  uploaded(): NamedTrace | null;
  /** Forgets the upload. */
  clearUpload(): void;
}

/**
 * A library over `fetch`. `baseUrl` is the page's address: bundled traces live at
 * `traces/<name>.csv` beside it.
 */
export function createTraceLibrary(fetch: TraceFetch, baseUrl: () => string): TraceLibrary {
  const bundled = new Map<string, Promise<NamedTrace>>();
  let upload: NamedTrace | null = null;

  const load = async (name: string): Promise<NamedTrace> => {
    const url = new URL(`traces/${encodeURIComponent(name)}.csv`, baseUrl()).href;
    let response: Awaited<ReturnType<TraceFetch>>;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new Error(`Could not load the trace ${url}: ${error instanceof Error ? error.message : String(error)}.`);
    }
    if (!response.ok) throw new Error(`Could not load the trace ${url}: the server answered ${response.status}.`);
    const fileName = `${name}.csv`;
    return { ...parseTrace(await response.text(), fileName), fileName };
  };

  return {
    get(name) {
      if (name === UPLOADED_TRACE) return upload ? Promise.resolve(upload) : Promise.reject(new Error('No trace was uploaded: choose a CSV file first.'));
      let hit = bundled.get(name);
      if (!hit) {
        hit = load(name);
        bundled.set(name, hit);
        hit.catch(() => bundled.delete(name));
      }
      return hit;
    },
    upload(text, fileName) {
      const parsed = { ...parseTrace(text, fileName), fileName };
      upload = parsed;
      return parsed;
    },
    uploaded: () => upload,
    clearUpload() {
      upload = null;
    },
  };
}
