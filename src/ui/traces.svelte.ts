/**
 * The page's traces: the one trace library (src/core/trace/library.ts) and its upload as state the
 * panels render. The Lab owns one; the energy panel's replay, the simulated schedule and the
 * sweep's pricing all read from it.
 */
import { createTraceLibrary, type NamedTrace, type TraceFetch, type TraceLibrary } from '../core/trace/library';

export class TraceShelf {
  /** The uploaded trace, parsed; null if none. Never in links. */
  uploaded = $state.raw<NamedTrace | null>(null);
  /** Why the last upload could not be read (its line and problem); null after a good one. */
  uploadError = $state<string | null>(null);

  private readonly library: TraceLibrary;

  constructor(fetch: TraceFetch, pageAddress: () => string) {
    this.library = createTraceLibrary(fetch, pageAddress);
  }

  /** The trace a name stands for (see TraceLibrary.get). */
  get(name: string): Promise<NamedTrace> {
    return this.library.get(name);
  }

  /** Reads an uploaded CSV; on a problem the earlier upload stays and `uploadError` names the line. */
  upload(text: string, fileName: string): boolean {
    try {
      this.uploaded = this.library.upload(text, fileName);
      this.uploadError = null;
      return true;
    } catch (e) {
      this.uploadError = e instanceof Error ? e.message : String(e);
      return false;
    }
  }
}
