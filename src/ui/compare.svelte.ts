/**
 * The Compare view's state: a set of results (pasted links, dropped result files, this browser's
 * runs), the bad entries named, sorting, grouping, the Pareto fronts, the CSV, per-row re-runs, and
 * the result link being viewed read-only. The set persists in IndexedDB. Self-contained: a host
 * passes in how to re-run an experiment and what "my last run" is.
 */
import { parseLink } from '../core/config/link';
import type { ExperimentConfig } from '../core/config/schema';
import { decodeResultLink } from '../core/results/link';
import { extractFromText, findLinks, mergeEntries, runKey, type CompareEntry, type EntryProblem, type Extraction } from '../core/results/extract';
import type { ResultSummary } from '../core/results/summary';
import { groupRows, groupSetting, hardwareNotes, paretoKeys, rowFromEntry, type CompareRow } from '../core/results/table';
import { sortRows, toCsv } from '../core/results/columns';
import { rerunConfig, verificationText, verifyRerun, type Verification } from '../core/results/verify';

/** A row's re-run: under way, or its verdict. */
export type RowCheck = { readonly status: 'running' } | Verification;

/** What is kept between visits. */
export interface SavedCompareSet {
  readonly entries: readonly CompareEntry[];
  readonly mine: readonly string[];
  readonly checks: Readonly<Record<string, Verification>>;
}

/** Where the set is kept; `indexedDbStore()` in the browser, a fake in tests. */
export interface CompareStore {
  load(): Promise<SavedCompareSet | null>;
  save(set: SavedCompareSet): Promise<void>;
}

export interface CompareHost {
  /** Re-runs an experiment in this browser; resolves with its summary or the reason it failed. */
  rerun(config: ExperimentConfig): Promise<{ summary: ResultSummary | null; error: string | null }>;
  /** The summary of this browser's last run, or null. */
  myLastRun(): ResultSummary | null;
  readonly store?: CompareStore;
}

export class CompareSet {
  entries = $state.raw<readonly CompareEntry[]>([]);
  /** Keys of this browser's own runs. */
  mine = $state.raw<readonly string[]>([]);
  problems = $state.raw<readonly EntryProblem[]>([]);
  checks = $state.raw<Readonly<Record<string, RowCheck>>>({});
  /** A one-line account of the last addition ("3 results added, 1 duplicate merged"). */
  status = $state('');
  groupBy = $state('batch');
  sortBy = $state('test_accuracy');
  sortDir = $state<'asc' | 'desc'>('desc');
  /** The result link opened read-only, and why one could not be read. */
  viewing = $state.raw<ResultSummary | null>(null);
  viewingProblem = $state<string | null>(null);

  /** Parsed experiment configs by entry key, filled in time slices before entries are shown; not reactive state. */
  private readonly configs: Record<string, ExperimentConfig> = {};
  readonly rows: readonly CompareRow[] = $derived(this.entries.map((e) => rowFromEntry(e, this.mine.includes(e.key), this.configs[e.key])));
  readonly sorted = $derived(sortRows(this.rows, this.sortBy, this.sortDir));
  readonly setting = $derived(groupSetting(this.groupBy) ?? null);
  readonly groups = $derived(this.setting ? groupRows(this.rows, this.setting) : []);
  readonly notes = $derived(hardwareNotes(this.rows, this.setting));
  readonly carbonFront = $derived(paretoKeys(this.rows, 'gCO2e'));
  readonly energyFront = $derived(paretoKeys(this.rows, 'wh'));

  private readonly host: CompareHost;
  /** Resolves once the saved set (if any) is loaded. */
  readonly ready: Promise<void>;

  constructor(host: CompareHost) {
    this.host = host;
    this.ready = this.load();
  }

  /** Adds every result found in pasted text (or a result JSON text), a slice at a time so the page stays responsive. */
  async addText(text: string, name = 'pasted text'): Promise<void> {
    await this.addFound(await extractSliced([{ name, text }]));
  }

  /** Adds dropped or chosen files: result JSON files, or text files with links inside. */
  async addFiles(files: readonly File[]): Promise<void> {
    const texts = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
    await this.addFound(await extractSliced(texts));
  }

  /** Adds this browser's last run, marked as mine. */
  addMyLastRun(): boolean {
    const summary = this.host.myLastRun();
    if (!summary) return false;
    const entry = { key: runKey(summary), summary, sources: ['my run'] };
    if (!this.mine.includes(entry.key)) this.mine = [...this.mine, entry.key];
    void this.addFound({ entries: [entry], problems: [] });
    return true;
  }

  remove(key: string): void {
    this.entries = this.entries.filter((e) => e.key !== key);
    this.persist();
  }

  clear(): void {
    this.entries = [];
    this.problems = [];
    this.checks = {};
    this.mine = [];
    this.status = '';
    this.persist();
  }

  sort(columnId: string): void {
    if (this.sortBy === columnId) this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    else {
      this.sortBy = columnId;
      this.sortDir = 'asc';
    }
  }

  csv(): string {
    return toCsv(this.sorted, (r) => {
      const check = this.checks[r.key];
      return check && check.status !== 'running' ? verificationText(check) : '';
    });
  }

  /** Opens a `#r=...` hash read-only; false (with `viewingProblem`) when it cannot be read. */
  openResultHash(hash: string): boolean {
    const decoded = decodeResultLink(`#${hash}`);
    this.viewing = decoded.ok ? decoded.summary : null;
    this.viewingProblem = decoded.ok ? null : `This result link cannot be read: ${decoded.message}`;
    return decoded.ok;
  }

  closeResult(): void {
    this.viewing = null;
    this.viewingProblem = null;
  }

  /** Puts the viewed result into the set next to my last run, and closes the read-only view. */
  compareWithMine(): void {
    const viewed = this.viewing;
    if (viewed) void this.addFound({ entries: [{ key: runKey(viewed), summary: viewed, sources: ['opened link'] }], problems: [] });
    this.addMyLastRun();
    this.closeResult();
  }

  /** Re-runs a row's experiment in this browser, on its backend, and marks the row. */
  async rerun(key: string): Promise<void> {
    const entry = this.entries.find((e) => e.key === key);
    if (!entry || this.checks[key]?.status === 'running') return;
    this.setCheck(key, { status: 'running' });
    const { config, issues } = rerunConfig(entry.summary);
    let check: Verification;
    if (issues.length > 0) check = { status: 'not-rerun', reason: `its experiment link has problems: ${issues.map((i) => i.message).join(' ')}` };
    else {
      try {
        const { summary, error } = await this.host.rerun(config);
        check = summary ? verifyRerun(entry.summary, summary) : { status: 'not-rerun', reason: error ?? 'the run gave no result' };
      } catch (error) {
        check = { status: 'not-rerun', reason: error instanceof Error ? error.message : String(error) };
      }
    }
    this.setCheck(key, check);
    this.persist();
  }

  private setCheck(key: string, check: RowCheck): void {
    this.checks = { ...this.checks, [key]: check };
  }

  /** Parses the experiment configs of new entries in time slices, so that showing them costs no long task. */
  private async parseConfigs(entries: readonly CompareEntry[]): Promise<void> {
    await sliced(entries.filter((e) => !(e.key in this.configs)), (e) => {
      this.configs[e.key] = parseLink(e.summary.link).config;
    });
  }

  private async addFound(found: Extraction): Promise<void> {
    await this.parseConfigs(found.entries);
    const before = this.entries.length;
    this.entries = mergeEntries([this.entries, found.entries]);
    this.problems = found.problems;
    const added = this.entries.length - before;
    const merged = found.entries.reduce((n, e) => n + e.sources.length, 0) - added;
    if (found.entries.length === 0 && found.problems.length === 0) {
      this.status = 'No result link ("…#r=1.…") or result file was found in it.';
      return;
    }
    this.status =
      `${added} result${added === 1 ? '' : 's'} added` +
      (merged > 0 ? `, ${merged} already in the set (merged)` : '') +
      (found.problems.length > 0 ? `; ${found.problems.length} bad entr${found.problems.length === 1 ? 'y' : 'ies'} skipped (below)` : '') +
      '.';
    this.persist();
  }

  private async load(): Promise<void> {
    const saved = await this.host.store?.load().catch(() => null);
    if (!saved) return;
    await this.parseConfigs(saved.entries);
    // Entries added before the load finished come first.
    this.entries = mergeEntries([this.entries, saved.entries]);
    this.mine = [...this.mine, ...saved.mine.filter((k) => !this.mine.includes(k))];
    this.checks = { ...saved.checks, ...this.checks };
  }

  private persist(): void {
    const checks: Record<string, Verification> = {};
    for (const [key, check] of Object.entries(this.checks)) if (check.status !== 'running') checks[key] = check;
    void this.host.store?.save({ entries: this.entries, mine: this.mine, checks }).catch(() => undefined);
  }
}

/** Longest stretch of work before yielding to the page (well under the 50 ms of a long task). */
const SLICE_MS = 10;
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `work` on each item, yielding to the page every SLICE_MS. */
async function sliced<T>(items: Iterable<T>, work: (item: T) => void): Promise<void> {
  let since = performance.now();
  for (const item of items) {
    work(item);
    if (performance.now() - since > SLICE_MS) {
      await nextTask();
      since = performance.now();
    }
  }
}

/** `extractAll`, spread over tasks: link by link for texts; a JSON file is read at once. */
async function extractSliced(inputs: readonly { readonly name: string; readonly text: string }[]): Promise<Extraction> {
  const lists: CompareEntry[][] = [];
  const problems: EntryProblem[] = [];
  for (const { name, text } of inputs) {
    if (/^\s*[[{]/.test(text)) {
      const found = extractFromText(text, name);
      lists.push([...found.entries]);
      problems.push(...found.problems);
      continue;
    }
    const entries: CompareEntry[] = [];
    await sliced(findLinks(text, name), (f) => {
      if ('entry' in f) entries.push(f.entry);
      else problems.push(f.problem);
    });
    lists.push(entries);
  }
  return { entries: mergeEntries(lists), problems };
}

const DB_NAME = 'carbon-aware-lab-compare';
const STORE = 'sets';
const KEY = 'current';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is unavailable'));
  });
}

function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** The compare set in this browser's IndexedDB (one record; plain data, structured-cloned). */
export function indexedDbStore(): CompareStore {
  return {
    async load() {
      const db = await openDb();
      try {
        return ((await requestDone(db.transaction(STORE).objectStore(STORE).get(KEY))) as SavedCompareSet | undefined) ?? null;
      } finally {
        db.close();
      }
    },
    async save(set) {
      const db = await openDb();
      try {
        await requestDone(db.transaction(STORE, 'readwrite').objectStore(STORE).put(JSON.parse(JSON.stringify(set)), KEY));
      } finally {
        db.close();
      }
    },
  };
}
