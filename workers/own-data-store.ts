/**
 * Your own data, kept in this browser: the file's bytes in IndexedDB under their SHA-256, so a
 * link (which holds only the fingerprint) trains on the same data after a reload, and a link
 * opened in another browser asks for the file. Nothing here leaves the browser.
 */

/** Its own database: the checkpoint database's version 1 has one store, and sharing it would need a migration. */
const DB_NAME = 'carbon-aware-lab-own-data';
const STORE = 'files';

/** One stored file: its bytes and the name it was loaded under. */
export interface StoredOwnFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

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

/** Keeps a file under its fingerprint (the same bytes are stored once). */
export async function storeOwnFile(fingerprint: string, file: StoredOwnFile): Promise<void> {
  await withStore('readwrite', (s) => s.put({ name: file.name, bytes: file.bytes }, fingerprint));
}

/** The file stored under a fingerprint, or null when this browser does not have it. */
export async function storedOwnFile(fingerprint: string): Promise<StoredOwnFile | null> {
  const value = await withStore<unknown>('readonly', (s) => s.get(fingerprint));
  if (value === undefined || value === null || typeof value !== 'object') return null;
  const { name, bytes } = value as { name?: unknown; bytes?: unknown };
  return typeof name === 'string' && bytes instanceof Uint8Array ? { name, bytes } : null;
}
