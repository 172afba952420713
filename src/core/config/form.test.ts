import { describe, expect, it } from 'vitest';
import { FORM_SECTIONS, fieldOptions, reconcile, visibleSections } from './form';
import { FIELDS, defaultConfig } from './schema';

describe('the settings form', () => {
  it('names only fields that exist, each once', () => {
    const keys = FORM_SECTIONS.flatMap((s) => Object.keys(s.fields));
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(FIELDS.some((f) => f.key === k)).toBe(true);
  });

  it('reads the choices of an enum from its schema', () => {
    const dataset = FIELDS.find((f) => f.key === 'dataset');
    expect(fieldOptions(dataset!)).toEqual(['mnist', 'spiral', 'circles', 'xor', 'blobs']);
  });

  it('shows a field only where it applies', () => {
    const c = defaultConfig();
    const keys = () => visibleSections(c).flatMap((s) => s.fields.map((f) => f.spec.key));
    expect(keys()).toContain('dataUrl');
    expect(keys()).not.toContain('samples');
    c.data.dataset = 'spiral';
    expect(keys()).toContain('samples');
    expect(keys()).not.toContain('dataUrl');
  });

  it('resolves a CNN on 2-D points by naming it, so no broken run starts', () => {
    const c = defaultConfig();
    c.model.kind = 'cnn';
    c.data.dataset = 'spiral';
    expect(reconcile(c)).toEqual([expect.objectContaining({ field: 'model', message: expect.stringContaining('a CNN needs image data') })]);
    expect(c.model.kind).toBe('mlp');
  });
});
