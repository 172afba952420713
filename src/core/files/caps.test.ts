import { describe, expect, it } from 'vitest';
import { checkFileSize, FILE_CAPS, FileTooLargeError, fileSizeProblem, formatBytes } from './caps';

describe('file size caps', () => {
  it.each([
    ['trace', 'huge.csv', /^huge\.csv is 40 MiB, more than the 32 MiB allowed for a carbon-intensity trace; it was not read\.$/],
    ['model', 'bomb.zip', /^bomb\.zip is 40 MiB, .*a model zip/],
  ] as const)('refuses a %s over its cap, naming the file, its size and the cap', (kind, name, message) => {
    const size = kind === 'trace' ? 40 * 1024 * 1024 : FILE_CAPS.model + 1;
    const run = () => checkFileSize(kind, name, size);
    expect(run).toThrow(FileTooLargeError);
    if (kind === 'trace') expect(run).toThrow(message);
    else expect(run).toThrow(/bomb\.zip is 128 MiB, more than the 128 MiB allowed for a model zip/);
  });

  it('accepts a file at its cap and gives no problem for it', () => {
    expect(() => checkFileSize('dataset', 'd.bin', FILE_CAPS.dataset)).not.toThrow();
    expect(fileSizeProblem('trace', 'ok.csv', 1000)).toBeNull();
    expect(fileSizeProblem('trace', 'big.csv', FILE_CAPS.trace + 1)).toMatch(/big\.csv .*32 MiB allowed/);
  });

  it('refuses a size that is not a number (an unreadable Content-Length)', () => {
    expect(() => checkFileSize('dataset', 'x', Number.NaN)).toThrow(FileTooLargeError);
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(32 * 1024 * 1024)).toBe('32 MiB');
  });
});
