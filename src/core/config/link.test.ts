import { describe, expect, it } from 'vitest';
import { MAX_LINK_ISSUES, parseConfigJson, parseConfigObject, parseLink, serialiseLink, shareUrl } from './link';
import { DEFAULT_CONFIG, FIELDS, defaultConfig } from './schema';

describe('share links', () => {
  it('reads an empty link as the default experiment', () => {
    for (const link of ['', '#', 'http://127.0.0.1:5173/', 'http://127.0.0.1:5173/#']) {
      const { config, issues } = parseLink(link);
      expect(issues).toEqual([]);
      expect(config).toEqual(DEFAULT_CONFIG);
    }
  });

  it('round-trips every field exactly', () => {
    const config = defaultConfig();
    config.data.url = 'https://example.org/data set.bin';
    config.data.samples = 1234;
    config.data.noise = 0.25;
    config.model.hidden = [64, 32, 16];
    config.model.activation = 'tanh';
    config.train.optimizer = 'momentum';
    config.train.learningRate = 0.0125;
    config.train.seed = 2147483647;
    config.backend = 'wasm';
    const parsed = parseLink(`#${serialiseLink(config)}`);
    expect(parsed.issues).toEqual([]);
    expect(parsed.config).toEqual(config);
    const synthetic = defaultConfig();
    synthetic.data.dataset = 'spiral';
    synthetic.train.batchSize = 800;
    expect(parseLink(serialiseLink(synthetic))).toEqual({ config: synthetic, issues: [] });
  });

  it('writes every field, so a link keeps its meaning if defaults change', () => {
    const hash = serialiseLink(defaultConfig());
    for (const field of FIELDS) expect(hash).toContain(`${field.key}=`);
  });

  it('fills left-out fields with defaults', () => {
    const { config, issues } = parseLink('#lr=0.01&epochs=5');
    expect(issues).toEqual([]);
    expect(config.train.learningRate).toBe(0.01);
    expect(config.train.epochs).toBe(5);
    expect(config.train.batchSize).toBe(DEFAULT_CONFIG.train.batchSize);
  });

  it('names each unknown, malformed and out-of-range field and keeps the rest', () => {
    const { config, issues } = parseLink('#lr=abc&epochs=1000&bogus=1&batch=32&hidden=64,x&dataset=cifar&seed=0');
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual(['lr', 'epochs', 'bogus', 'hidden', 'dataset', 'seed']);
    expect(config.train.batchSize).toBe(32);
    expect(config.train.learningRate).toBe(DEFAULT_CONFIG.train.learningRate);
    expect(issues[0]?.message).toMatch(/lr: got "abc", expected a number .*using the default "0.001"/);
    expect(issues[2]?.message).toMatch(/unknown field/);
  });

  it('reports duplicate keys, keys without values and broken percent-encoding', () => {
    const { issues } = parseLink('#epochs=3&epochs=4&seed&lr=%E0%A4%A');
    expect(issues.map((i) => i.field)).toEqual(['epochs', 'seed', 'lr']);
  });

  it('rejects dataset URLs that are not http(s) or site paths, including tricks that leave the site', () => {
    const tricks = ['/\\evil.example/x', '/\\/evil.example', '\\\\evil.example/x', '/\t/evil.example/x', '/\n/evil.example', ' //evil.example', 'https:evil.example', 'http:/\\evil.example'];
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//evil.example/x', 'file:///etc/passwd', 'mnist.bin', ...tricks]) {
      const { config, issues } = parseLink(`#dataUrl=${encodeURIComponent(bad)}`);
      expect(issues.map((i) => i.field)).toEqual(['dataUrl']);
      expect(config.data.url).toBe('');
    }
    for (const good of ['/data/mnist.bin', '/..//evil.example/x', 'https://example.org/a.bin', 'HTTP://127.0.0.1:9/x']) {
      expect(parseLink(`#dataUrl=${encodeURIComponent(good)}`)).toMatchObject({ config: { data: { url: good } }, issues: [] });
    }
  });

  it('names impossible dates and times instead of rolling them over', () => {
    for (const bad of ['2022-02-30T00:00', '2023-02-29T12:00', '2022-04-31T00:00', '2022-06-15T24:00', '2022-06-15T23:60', '2022-13-01T00:00', '2022-00-10T00:00', '2022-06-00T00:00']) {
      const { config, issues } = parseLink(`#start=${bad}`);
      expect(issues.map((i) => i.field)).toEqual(['start']);
      expect(issues[0]?.message).toContain(`got "${bad}", expected a real UTC time`);
      expect(config.schedule.start).toBe(DEFAULT_CONFIG.schedule.start);
    }
    for (const good of ['2024-02-29T23:59', '2022-12-31T00:00', '1999-01-01T00:00']) expect(parseLink(`#start=${good}`).config.schedule.start).toBe(good);
  });

  it('names a batch larger than the training set and a dataset URL with a synthetic dataset', () => {
    const big = parseLink('#dataset=spiral&samples=100&testFraction=0.2&batch=128');
    expect(big.issues.map((i) => i.field)).toEqual(['batch']);
    expect(big.issues[0]?.message).toBe('batch: 128 is more than the 80 training examples of this dataset (samples 100, test fraction 0.2); using 80, one batch per epoch.');
    expect(big.config.train.batchSize).toBe(80);
    expect(parseLink('#dataset=spiral&samples=100&batch=80').issues).toEqual([]);
    const url = parseLink('#dataset=xor&dataUrl=%2Fdata%2Fmine.bin');
    expect(url.issues.map((i) => i.field)).toEqual(['dataUrl']);
    expect(url.issues[0]?.message).toBe('dataUrl: a dataset file is only read with dataset=mnist (the lab\'s image format); with "xor" the points are generated; the file is not used and dataUrl is cleared.');
    expect(url.config.data.url).toBe('');
  });

  it('lists the first 20 problems and counts the rest', () => {
    const { issues } = parseLink(`#${Array.from({ length: 1000 }, (_, i) => `k${i}=1`).join('&')}`);
    expect(issues).toHaveLength(MAX_LINK_ISSUES + 1);
    expect(issues.slice(0, 20).map((i) => i.field)).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`));
    expect(issues[20]).toEqual({ field: '(more)', message: 'and 980 more problems in this link, not listed; each was ignored.' });
    expect(parseLink('#' + 'x=1&'.repeat(21)).issues[20]?.message).toBe('and 1 more problem in this link, not listed; each was ignored.');
  });

  it('quotes long or hostile values as plain, shortened text', () => {
    const { issues } = parseLink(`#activation=${encodeURIComponent('<img src=x onerror=alert(1)>'.repeat(5))}`);
    expect(issues[0]?.message).toContain('"<img src=x onerror=alert(1)><img src=x o…"');
  });

  it('rejects a CNN on 2-D data and says the MLP is used', () => {
    const { config, issues } = parseLink('#model=cnn&dataset=xor');
    expect(config.model.kind).toBe('mlp');
    expect(issues[0]?.field).toBe('model');
  });

  it('rejects another config version', () => {
    expect(parseLink('#v=2').issues[0]?.field).toBe('v');
  });

  it('builds a share URL from the page address', () => {
    expect(shareUrl('http://127.0.0.1:5173/?x=1#old', defaultConfig())).toMatch(/^http:\/\/127\.0\.0\.1:5173\/\?x=1#v=1&dataset=mnist/);
  });
});

describe('config files', () => {
  it('reads {} as the default experiment', () => {
    expect(parseConfigObject({})).toEqual({ config: DEFAULT_CONFIG, issues: [] });
  });

  it('reads nested fields and names bad ones by path', () => {
    const { config, issues } = parseConfigObject({
      train: { learningRate: 0.05, epochs: '3', extra: 1 },
      model: 'big',
      nonsense: true,
    });
    expect(config.train.learningRate).toBe(0.05);
    expect(issues.map((i) => i.field)).toEqual(['train.extra', 'model', 'nonsense', 'train.epochs']);
  });

  it('reports malformed JSON and non-object configs', () => {
    expect(parseConfigJson('{nope').issues[0]?.message).toMatch(/not valid JSON/);
    expect(parseConfigJson('[1]').issues[0]?.field).toBe('(config)');
  });

  it('lists the first 20 problems of a config file and counts the rest', () => {
    const input = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`junk${i}`, i]));
    const { issues } = parseConfigObject(input);
    expect(issues).toHaveLength(21);
    expect(issues[20]?.message).toBe('and 30 more problems in this config, not listed; each was ignored.');
  });

  it('does not share arrays with the caller', () => {
    const hidden = [10, 20];
    const { config } = parseConfigObject({ model: { hidden } });
    hidden.push(30);
    expect(config.model.hidden).toEqual([10, 20]);
  });
});

describe('settings that would otherwise be ignored or clamped', () => {
  it('names a dataUrl given with a synthetic dataset, and clears it', () => {
    const { config, issues } = parseLink('#dataset=spiral&dataUrl=https%3A%2F%2Fexample.org%2Fd.bin');
    expect(config.data.url).toBe('');
    expect(issues).toEqual([{ field: 'dataUrl', message: expect.stringContaining('only read with dataset=mnist') }]);
  });

  it('names a batch larger than the training set', () => {
    const { config, issues } = parseLink('#dataset=spiral&samples=100&batch=500');
    expect(config.train.batchSize).toBe(80);
    expect(issues).toEqual([{ field: 'batch', message: expect.stringContaining('500 is more than the 80 training examples') }]);
  });

  it.each(['/\\evil.example/x', '/\\/evil.example/x', '//evil.example/x', 'https://ok.example\\@evil/x', '/a b'])('refuses %s, which would leave the site', (url) => {
    const { config, issues } = parseLink(`#dataUrl=${encodeURIComponent(url)}`);
    expect(config.data.url).toBe('');
    expect(issues[0]?.field).toBe('dataUrl');
  });

  it('keeps a path on the site', () => {
    expect(parseLink('#dataUrl=%2Fdata%2Fmine.bin').issues).toEqual([]);
  });

  it.each(['2022-02-30T00:00', '2022-06-15T24:00', '2021-02-29T12:00', '2022-13-01T00:00', '2022-06-15T12:60'])('names the impossible date %s instead of rolling it over', (start) => {
    const { config, issues } = parseLink(`#start=${start}`);
    expect(config.schedule.start).toBe('2022-06-15T00:00');
    expect(issues).toEqual([{ field: 'start', message: expect.stringContaining('a real UTC time') }]);
  });

  it('accepts a leap day', () => {
    expect(parseLink('#start=2024-02-29T23:59').issues).toEqual([]);
  });

  it('lists the first 20 problems of a 2 MB link and counts the rest', () => {
    const { issues } = parseLink(`#${'lr=1&'.repeat(400_000)}`);
    expect(issues).toHaveLength(21);
    expect(issues[20]?.message).toBe('and 399,979 more problems in this link, not listed; each was ignored.');
  });
});
