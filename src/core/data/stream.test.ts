import { describe, expect, it } from 'vitest';
import { DatasetFormatError, decodeDatasetFile, encodeDatasetFile, readDatasetStream } from './format';

const file = (n: number) =>
  encodeDatasetFile({ rows: 4, cols: 4, channels: 1, numClasses: 2, pixels: new Uint8Array(n * 16).fill(7), labels: new Uint8Array(n).fill(1) });

/** A stream serving `bytes` in chunks of `size`, counting how many chunks were pulled and whether it was cancelled. */
function chunked(bytes: Uint8Array, size: number) {
  const state = { pulls: 0, cancelled: false };
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
    cancel() {
      state.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, state };
}

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as Error);

describe('readDatasetStream', () => {
  it('reads a file that arrives in small chunks, header split across them', async () => {
    const bytes = file(10);
    const { stream } = chunked(bytes, 5);
    const read = await readDatasetStream(stream, String(bytes.length), 'd.bin');
    expect(read).toEqual(bytes);
    expect(decodeDatasetFile(read, 'd.bin').labels.length).toBe(10);
  });

  it('refuses a Content-Length over the cap before reading a byte, naming the cap', async () => {
    const { stream, state } = chunked(file(10), 64);
    const e = await failure(readDatasetStream(stream, String(2 * 1024 ** 3), 'https://x/big.bin', 1024 * 1024));
    expect(e).toBeInstanceOf(DatasetFormatError);
    expect(e.message).toBe('The dataset file https://x/big.bin cannot be used: the server announces 2 GiB, more than the 1 MiB allowed for a dataset file; it was not downloaded.');
    expect(state.pulls).toBe(0);
  });

  it('refuses a header that promises more than the cap after the first chunk, and cancels the download', async () => {
    const { stream, state } = chunked(file(1000), 64);
    const e = await failure(readDatasetStream(stream, null, 'd.bin', 4096));
    expect(e.message).toMatch(/its header promises 16\.6 KiB, more than the 4 KiB allowed/);
    expect(state.pulls).toBe(1);
    expect(state.cancelled).toBe(true);
  });

  it('refuses a file in another format as soon as its first 16 bytes arrive', async () => {
    const { stream, state } = chunked(new TextEncoder().encode('<!doctype html>'.repeat(100)), 16);
    const e = await failure(readDatasetStream(stream, null, 'd.bin'));
    expect(e.message).toMatch(/does not start with "CATD"/);
    expect(state.pulls).toBe(1);
  });

  it('stops reading the moment more bytes arrive than the header promises', async () => {
    const bytes = file(10);
    const longer = new Uint8Array(bytes.length + 100_000);
    longer.set(bytes);
    const { stream, state } = chunked(longer, 64);
    const e = await failure(readDatasetStream(stream, null, 'd.bin'));
    expect(e.message).toMatch(/more bytes than the 186 its header promises/);
    expect(state.cancelled).toBe(true);
    expect(state.pulls).toBeLessThan(10);
  });

  it('names a truncated download', async () => {
    const bytes = file(10);
    const { stream } = chunked(bytes.subarray(0, bytes.length - 3), 64);
    await expect(readDatasetStream(stream, null, 'd.bin')).rejects.toThrow(/truncated: 183 bytes where the header promises 186/);
  });
});
