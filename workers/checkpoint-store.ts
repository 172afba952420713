/**
 * Stores runs' checkpoints in IndexedDB (available in workers), one record per run id, so a
 * closed tab, a reload or a crash loses no progress and no tab's run replaces another's. Each
 * write adds only what changed to the run's log (src/core/train/checkpoint-log.ts). The tab that
 * trains a run holds its Web Lock (`runLockName`); a run whose lock is held is not offered.
 */
import { assembleCheckpoint, checkStoredRun, EMPTY_LOG, planCheckpointWrite, savedRunEntry, type CheckpointHead, type CurveChunk, type LogPosition, type SavedRunEntry } from '../src/core/train/checkpoint-log';
import type { RunCheckpoint } from '../src/core/train/checkpoint';

const DB_NAME = 'carbon-aware-lab';
const DB_VERSION = 2;
/** Version 1's store: one whole checkpoint under the key "current". */
const LEGACY_STORE = 'checkpoints';
/** Run id -> head record. */
const RUNS = 'runs';
/** [runId, 'chunk', i] -> curve chunk; [runId, 'schedule'] -> schedule state; [runId, 'unsaved'] -> what a failed write lost. */
const LOG = 'run-log';
/** The id a version-1 checkpoint is kept under once moved into the runs store. */
export const EARLIER_RUN_ID = 'saved-before-run-ids';

/** The Web Lock a tab holds for the whole of a run it trains. */
export const runLockName = (runId: string): string => `carbon-aware-lab:run:${runId}`;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => upgrade(request.result, request.transaction as IDBTransaction);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('another tab of an older version of the lab holds the saved runs open; close it and reload'));
  });
}

/** Creates the stores, and moves a version-1 checkpoint into the runs store (kept, not dropped). */
function upgrade(db: IDBDatabase, tx: IDBTransaction): void {
  if (!db.objectStoreNames.contains(RUNS)) db.createObjectStore(RUNS);
  if (!db.objectStoreNames.contains(LOG)) db.createObjectStore(LOG);
  if (!db.objectStoreNames.contains(LEGACY_STORE)) return;
  const legacy = tx.objectStore(LEGACY_STORE);
  legacy.get('current').onsuccess = (event) => {
    const value: unknown = (event.target as IDBRequest).result;
    if (value === undefined) return;
    tx.objectStore(RUNS).put(value, EARLIER_RUN_ID);
    legacy.delete('current');
  };
}

let connection: Promise<IDBDatabase> | null = null;

/** The open database, opened once per worker (a write every second must not reopen it); a newer version's upgrade closes it. */
function database(): Promise<IDBDatabase> {
  connection ??= open().then(
    (db) => {
      db.onversionchange = () => {
        db.close();
        connection = null;
      };
      db.onclose = () => {
        connection = null;
      };
      return db;
    },
    (error: unknown) => {
      connection = null;
      throw error;
    },
  );
  return connection;
}

/** Runs `act` in one transaction over both stores; resolves with its result once committed. */
async function transact<T>(mode: IDBTransactionMode, act: (runs: IDBObjectStore, log: IDBObjectStore) => () => T): Promise<T> {
  const db = await database();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction([RUNS, LOG], mode);
    const result = act(tx.objectStore(RUNS), tx.objectStore(LOG));
    tx.oncomplete = () => resolve(result());
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (is the disk full?)'));
  });
}

const runRange = (runId: string) => IDBKeyRange.bound([runId], [runId, []]);
const chunkRange = (runId: string) => IDBKeyRange.bound([runId, 'chunk', 0], [runId, 'chunk', Infinity]);

/** Writes one run's checkpoints; each write adds the losses and step records since the last one. */
export class CheckpointLog {
  constructor(
    readonly runId: string,
    private stored: LogPosition = EMPTY_LOG,
  ) {}

  /** Writes the checkpoint: its head, and a chunk of what the curve gained. Atomic: a failed write changes nothing. */
  async save(checkpoint: RunCheckpoint): Promise<void> {
    const write = planCheckpointWrite(this.runId, checkpoint, this.stored);
    await transact('readwrite', (runs, log) => {
      if (write.rewrite) log.delete(chunkRange(this.runId));
      if (write.chunk) log.put(write.chunk, [this.runId, 'chunk', write.chunkIndex]);
      log.delete([this.runId, 'unsaved']);
      runs.put(write.head, this.runId);
      return () => undefined;
    });
    this.stored = write.next;
  }
}

/** A run loaded to be continued: its checkpoint, where its log stands and its schedule's state. */
export interface LoadedRun {
  readonly checkpoint: RunCheckpoint;
  readonly log: LogPosition;
  readonly schedule: unknown;
}

/** Loads a stored run; rejects, saying what is wrong, when it cannot be continued (it is kept). */
export async function loadRun(runId: string): Promise<LoadedRun> {
  const { head, chunks, schedule } = await transact('readonly', (runs, log) => {
    const h = runs.get(runId);
    const c = log.getAll(chunkRange(runId));
    const s = log.get([runId, 'schedule']);
    return () => ({ head: h.result as unknown, chunks: c.result as CurveChunk[], schedule: s.result as unknown });
  });
  if (head === undefined) throw new Error('There is no such saved run in this browser (it may have finished, or been discarded in another tab).');
  const checked = checkStoredRun(head);
  if (checked.problem !== null) throw new Error(`The saved run cannot be continued: it was ${checked.problem}. It is kept until you discard it.`);
  const config = checked.info.config;
  const version = (head as { version: number }).version;
  if (version === 1) return { checkpoint: { ...(head as RunCheckpoint), config }, log: EMPTY_LOG, schedule: schedule ?? null };
  const { checkpoint, log } = assembleCheckpoint({ ...(head as CheckpointHead), config }, chunks);
  return { checkpoint, log, schedule: schedule ?? null };
}

/** Every stored run, newest first, but those held by a tab that is training them. */
export async function listRuns(): Promise<SavedRunEntry[]> {
  const stored = await transact('readonly', (runs, log) => {
    const keys = runs.getAllKeys();
    const values = runs.getAll();
    const notes = new Map<string, IDBRequest>();
    keys.onsuccess = () => keys.result.forEach((k) => notes.set(String(k), log.get([String(k), 'unsaved'])));
    return () => ({ keys: keys.result, values: values.result as unknown[], notes });
  });
  const unsaved = (runId: string): string | null => {
    const note: unknown = stored.notes.get(runId)?.result;
    return typeof note === 'string' ? note : null;
  };
  const held = await heldLocks();
  const entries = stored.keys.flatMap((key, i) => {
    const runId = String(key);
    return held.has(runLockName(runId)) ? [] : [savedRunEntry(runId, stored.values[i], unsaved(runId))];
  });
  const time = (e: SavedRunEntry) => (e.info ? e.info.savedAt : (e.savedAt ?? 0));
  return entries.sort((a, b) => time(b) - time(a));
}

/** Names of the Web Locks held now by any tab of this origin; none where the browser lacks Web Locks. */
async function heldLocks(): Promise<Set<string>> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return new Set();
  const state = await locks.query();
  return new Set((state.held ?? []).flatMap((l) => (l.name ? [l.name] : [])));
}

/** Deletes a run: its head, its log, its schedule state. */
export async function deleteRun(runId: string): Promise<void> {
  await transact('readwrite', (runs, log) => {
    runs.delete(runId);
    log.delete(runRange(runId));
    return () => undefined;
  });
}

/** Stores the state of the schedule a run trains under (small; written when it changes). */
export async function saveScheduleState(runId: string, state: unknown): Promise<void> {
  await transact('readwrite', (_runs, log) => {
    log.put(state, [runId, 'schedule']);
    return () => undefined;
  });
}

/** The state of the schedule a stored run trained under, or null. */
export async function loadScheduleState(runId: string): Promise<unknown> {
  return transact('readonly', (_runs, log) => {
    const request = log.get([runId, 'schedule']);
    return () => (request.result as unknown) ?? null;
  });
}

/** Notes, if storage still allows a few bytes, what a failed write did not save. */
export async function noteUnsaved(runId: string, note: string): Promise<void> {
  await transact('readwrite', (_runs, log) => {
    log.put(note, [runId, 'unsaved']);
    return () => undefined;
  });
}
