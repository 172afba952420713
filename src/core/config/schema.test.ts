import { describe, expect, it } from 'vitest';
import { valueFromText } from './link';
import { DATASETS, DEFAULT_CONFIG, FIELDS, FORM_SECTIONS, applyFieldEdit, defaultConfig, fieldByKey, isAllowedDatasetUrl, isRealUtcMinute, PRUNING_COST_NOTE, type FieldSpec } from './schema';

const spec = (key: string) => fieldByKey(key) as FieldSpec;
const edit = (config = defaultConfig(), key: string, text: string) => ({ config, result: applyFieldEdit(config, spec(key), valueFromText(spec(key), text)) });

describe('the field table', () => {
  it('gives every field a label, a section and, for enums, the options its schema accepts', () => {
    for (const f of FIELDS) {
      expect(f.label.length).toBeGreaterThan(0);
      if (f.kind === 'enum') {
        expect(f.options.length).toBeGreaterThan(1);
        expect(f.expects).toBe(`one of ${f.options.join(', ')}`);
      } else expect(f.options).toEqual([]);
    }
    expect(spec('dataset').options).toEqual(DATASETS);
    const formKeys = FIELDS.filter((f) => FORM_SECTIONS.some((s) => s.id === f.section)).map((f) => f.key);
    expect(formKeys).toContain('backend');
    expect(formKeys).not.toContain('pue');
  });

  it('says which fields apply to a config', () => {
    const c = defaultConfig();
    const applies = (key: string) => spec(key).appliesWhen(c);
    expect([applies('dataUrl'), applies('samples'), applies('filters'), applies('momentum')]).toEqual([true, false, false, false]);
    c.data.dataset = 'spiral';
    c.model.kind = 'cnn';
    c.train.optimizer = 'momentum';
    expect([applies('dataUrl'), applies('samples'), applies('filters'), applies('momentum'), applies('model')]).toEqual([false, true, true, true, true]);
    c.model.kind = 'mlp';
    expect(applies('model')).toBe(false);
  });

  it('says what pruning while training costs, with the measured figures, only once it is on', () => {
    const c = defaultConfig();
    expect(spec('prune').note?.(c)).toBeNull();
    c.compress.pruning = 'on';
    const note = spec('prune').note?.(c) ?? '';
    expect(note).toBe(PRUNING_COST_NOTE);
    expect(note).toMatch(/87\.1% against 92\.5%.*5\.5 points less/);
    expect(spec('sparsity').note).toBeUndefined();
  });
});

describe('form edits', () => {
  it('turns a CNN into the MLP when a 2-D dataset is chosen, and says so', () => {
    const { config, result } = edit(undefined, 'model', 'cnn');
    expect(result).toEqual({ ok: true, notices: [] });
    const next = applyFieldEdit(config, spec('dataset'), 'spiral');
    expect(next).toEqual({ ok: true, notices: [{ field: 'model', message: 'Model: a CNN needs image data, but dataset is "spiral"; using the MLP instead.' }] });
    expect(config.model.kind).toBe('mlp');
    expect(config.data.dataset).toBe('spiral');
  });

  it('refuses an edit that a cross-field rule would undo, and leaves the config alone', () => {
    const c = defaultConfig();
    c.data.dataset = 'circles';
    expect(edit(c, 'model', 'cnn').result).toEqual({ ok: false, error: 'Model: a CNN needs image data, but dataset is "circles"; not applied.' });
    expect(c.model.kind).toBe('mlp');
    expect(edit(c, 'batch', '900').result).toEqual({ ok: false, error: 'Batch size: 900 is more than the 800 training examples of this dataset (samples 1000, test fraction 0.2); not applied.' });
    expect(c.train.batchSize).toBe(64);
    c.compress.pruning = 'on';
    expect(edit(c, 'sparsity0', '0.9').result).toMatchObject({ ok: false, error: expect.stringMatching(/^Initial sparsity: the initial sparsity cannot exceed the final one \(0.8\)/) });
    expect(c.compress.initialSparsity).toBe(0);
  });

  it('refuses a value its field rejects, naming what is expected', () => {
    const { config, result } = edit(undefined, 'lr', 'fast');
    expect(result).toEqual({ ok: false, error: 'Expected a number from 0.00001 to 1.' });
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it('fixes the other field and names it when an edit makes them conflict', () => {
    const c = defaultConfig();
    c.data.dataset = 'xor';
    c.train.batchSize = 700;
    const { result } = edit(c, 'samples', '500');
    expect(result).toEqual({ ok: true, notices: [{ field: 'batch', message: 'Batch size: 700 is more than the 400 training examples of this dataset (samples 500, test fraction 0.2); using 400, one batch per epoch.' }] });
    expect(c.train.batchSize).toBe(400);
    const withUrl = defaultConfig();
    withUrl.data.url = '/data/mine.bin';
    expect(edit(withUrl, 'dataset', 'blobs').result).toMatchObject({ ok: true, notices: [{ field: 'dataUrl' }] });
    expect(withUrl.data.url).toBe('');
  });
});

describe('dataset addresses', () => {
  it('allows http(s) URLs and paths that stay on this site, nothing else', () => {
    for (const ok of ['', '/x.bin', '/a/b?c=1', 'https://example.org/x', 'http://127.0.0.1:9/m.bin']) expect(isAllowedDatasetUrl(ok)).toBe(true);
    for (const bad of ['/\\host/x', '/\\\\host', '/\t/host', '/\r\n/host', '//host', 'x.bin', 'javascript:alert(1)', 'https://ex\u0000ample.org/', 'https://ok.example\\@evil/x', '/a b']) expect(isAllowedDatasetUrl(bad)).toBe(false);
  });
});

describe('UTC minutes', () => {
  it('knows month lengths, leap years and the last minute of a day', () => {
    expect(['2024-02-29T00:00', '2000-02-29T23:59', '2022-01-31T12:30'].map(isRealUtcMinute)).toEqual([true, true, true]);
    expect(['2100-02-29T00:00', '2022-02-30T00:00', '2022-06-15T24:00', '2022-06-15T12:60', '2022-6-15T12:00', '2022-06-15 12:00'].map(isRealUtcMinute)).toEqual([false, false, false, false, false, false]);
  });
});
