import { describe, expect, it } from 'vitest';
import { parseConfigObject, parseLink, serialiseLink } from './link';
import { defaultConfig } from './schema';

const fp = '0123456789abcdef'.repeat(4);

describe('own data in links', () => {
  it('round-trips the name, fingerprint, shape, class names and columns, commas and percent signs included', () => {
    const config = defaultConfig();
    Object.assign(config.data, { dataset: 'table', name: 'prices 100%.csv', fingerprint: fp, shape: [7], classes: ['cheap, small', 'dear'], label: 'Price, EUR', features: ['a,b', 'c%2Cd'] });
    const { config: back, issues } = parseLink(serialiseLink(config));
    expect(issues).toEqual([]);
    expect(back.data).toEqual(config.data);
  });

  it('names a fingerprint that is not a SHA-256 and keeps the default', () => {
    const { config, issues } = parseLink('dataset=table&fingerprint=abc');
    expect(issues.map((i) => i.message)).toEqual(['fingerprint: got "abc", expected the 64 hex digits of a SHA-256, or empty; using the default "".']);
    expect(config.data.fingerprint).toBe('');
  });

  it('trains a CNN on own images, and switches a table to the MLP', () => {
    expect(parseLink(`dataset=images&model=cnn&fingerprint=${fp}`).issues).toEqual([]);
    const { config, issues } = parseLink(`dataset=table&model=cnn&fingerprint=${fp}`);
    expect(config.model.kind).toBe('mlp');
    expect(issues[0]?.message).toContain('a CNN needs image data, but dataset is "table"');
  });

  it('keeps a large batch for own data (its size is known only once the file is read) and clears a dataset URL', () => {
    const { config, issues } = parseLink(`dataset=table&batch=1024&dataUrl=/x.bin&fingerprint=${fp}`);
    expect(config.train.batchSize).toBe(1024);
    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('with "table" your own file is read; the file is not used and dataUrl is cleared.')]);
  });

  it('reads own data from a config file and refuses control characters in names', () => {
    const { config, issues } = parseConfigObject({ data: { dataset: 'images', imageSize: '32-rgb', classes: ['a', 'b\u0007'] } });
    expect(config.data.imageSize).toBe('32-rgb');
    expect(config.data.classes).toEqual([]);
    expect(issues[0]?.field).toBe('data.classes');
  });
});
