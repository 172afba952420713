import { describe, expect, it } from 'vitest';
import { applyOwnData, classCountsOf, fingerprintMismatch, ownDataSettings, ownFileKind, type OwnDataPreview } from './own';
import { encodeDatasetFile } from './format';
import { defaultConfig } from '../config/schema';

const preview = (over: Partial<OwnDataPreview>): OwnDataPreview => ({
  kind: 'table', fileKind: 'table', name: 'f.csv', fingerprint: 'ab'.repeat(32), bytes: 10, shape: [4], classes: ['a', 'b'], counts: [5, 5],
  trainExamples: 8, testExamples: 2, label: 'y', columns: [], head: [], encoding: null, notices: [], corrupt: [], parseMs: 1, hashMs: 1, ...over,
});

describe('own data', () => {
  it('tells a zip, the lab binary format and a table apart by their first bytes', () => {
    expect(ownFileKind(new Uint8Array([0x50, 0x4b, 3, 4, 0]))).toBe('zip');
    expect(ownFileKind(encodeDatasetFile({ rows: 1, cols: 1, channels: 1, numClasses: 2, pixels: new Uint8Array(2), labels: new Uint8Array([0, 1]) }))).toBe('catd');
    expect(ownFileKind(new TextEncoder().encode('a;b\n1;2'))).toBe('table');
    expect(ownFileKind(new Uint8Array())).toBe('table');
  });

  it('writes what identifies the data into the config, and lets the kind choose the model', () => {
    const config = defaultConfig();
    config.data.url = '/data/x.bin';
    applyOwnData(config, preview({ kind: 'images', fileKind: 'zip', shape: [28, 28, 1], classes: ['cat', 'dog'] }));
    expect(config.data).toMatchObject({ dataset: 'images', name: 'f.csv', fingerprint: 'ab'.repeat(32), shape: [28, 28, 1], classes: ['cat', 'dog'], url: '' });
    expect(config.model.kind).toBe('cnn');
    // Other images keep the model chosen for images; a table always trains the MLP.
    config.model.kind = 'mlp';
    applyOwnData(config, preview({ kind: 'images', fileKind: 'zip' }));
    expect(config.model.kind).toBe('mlp');
    config.model.kind = 'cnn';
    applyOwnData(config, preview({}));
    expect(config.model.kind).toBe('mlp');
    expect(config.data.dataset).toBe('table');
  });

  it('reads its settings from the config (label, features, image size, split)', () => {
    const config = defaultConfig();
    Object.assign(config.data, { label: 'kind', features: ['a'], imageSize: '32-rgb', testFraction: 0.3 });
    expect(ownDataSettings(config)).toEqual({ label: 'kind', features: ['a'], imageSize: '32-rgb', testFraction: 0.3, seed: 42 });
  });

  it('names both files and fingerprints in a mismatch', () => {
    const m = fingerprintMismatch('a.csv', '1'.repeat(64), 'b.csv', '2'.repeat(64));
    expect(m).toContain('b.csv is not the file this link was made with');
    expect(m).toContain('starts 222222222222');
    expect(m).toContain('"a.csv" starts 111111111111');
  });

  it('counts examples per class over several label arrays', () => {
    expect(classCountsOf([Uint8Array.from([0, 2, 2]), Uint8Array.from([1, 2])], 4)).toEqual([1, 1, 3, 0]);
  });
});
