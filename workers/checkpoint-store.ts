/**
 * Stores the current run's checkpoint in IndexedDB (available in workers), so a closed tab, a
 * reload or a crash loses no progress. One run is kept: a new run replaces it, and a run that
 * ends (finished, stopped or failed) deletes it.
 */
import { parseConfigObject } from '../src/core/config/link';
import { isUsableCheckpoint, type RunCheckpoint } from '../src/core/train/checkpoint';

/** A stored checkpoint whose config does not pass the config schema; it has been deleted. */
export class InvalidCheckpointError extends Error {
  override readonly name = 'InvalidCheckpointError';
}

const DB_NAME = 'carbon-aware-lab';
const STORE = 'checkpoints';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (is the disk full?)'));
    });
  } finally {
    db.close();
  }
}

/** Writes the checkpoint, replacing any earlier one. */
export async function saveCheckpoint(checkpoint: RunCheckpoint): Promise<void> {
  await withStore('readwrite', (s) => s.put(checkpoint, KEY));
}

/**
 * The stored checkpoint, or null when there is none or it is not a checkpoint this version can
 * continue (it is then deleted). Its config passes the config schema, as a link's does: a config
 * with a bad field is not trusted, it is deleted and an InvalidCheckpointError names the fields.
 */
export async function loadCheckpoint(): Promise<RunCheckpoint | null> {
  const value = await withStore<unknown>('readonly', (s) => s.get(KEY));
  if (value === undefined) return null;
  if (!isUsableCheckpoint(value)) {
    await clearCheckpoint();
    return null;
  }
  const { config, issues } = parseConfigObject(value.config);
  if (issues.length > 0) {
    await clearCheckpoint();
    throw new InvalidCheckpointError(`The run saved in this browser has settings this lab cannot use (${issues.map((i) => i.message).join(' ')}); it was deleted. Press Start to train again.`);
  }
  return { ...value, config };
}

export async function clearCheckpoint(): Promise<void> {
  await withStore('readwrite', (s) => s.delete(KEY));
}
