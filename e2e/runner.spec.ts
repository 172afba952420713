import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { validateResult, type LabResult } from '../src/core/result';
import { lab } from './helpers';

test('the headless runner reproduces a link and writes a valid result file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-'));
  const out = join(dir, 'result.json');
  const link = 'http://127.0.0.1:1234/#dataset=xor&samples=600&hidden=8&epochs=2&seed=3&backend=wasm';
  const r = await lab(['run', link, '--out', out]);
  expect(r.stderr).not.toContain('problem');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('backend wasm');
  const result = JSON.parse(readFileSync(out, 'utf8')) as LabResult;
  expect(validateResult(result)).toEqual([]);
  expect(result.schemaVersion).toBe(1);
  expect(result.backend).toBe('wasm');
  expect(result.metrics.epochs).toBe(2);
  expect(result.metrics.steps).toBe(2 * Math.floor(480 / 64));
  expect(result.link).toContain('dataset=xor');
  // Energy and carbon travel with the result: the offline default needs no network.
  expect(result.energy?.kWh).toBeGreaterThan(0);
  expect(result.carbon?.gCO2e).toBeGreaterThan(0);
  expect(r.stdout).toMatch(/energy [\d.e-]+ Wh .*carbon [\d.e-]+ gCO2e/);

  // The same experiment as a config file gives the same curve (wasm is bit-exact).
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(result.config));
  const again = join(dir, 'again.json');
  expect((await lab(['run', configFile, '--out', again])).code).toBe(0);
  expect((JSON.parse(readFileSync(again, 'utf8')) as LabResult).lossCurve).toEqual(result.lossCurve);
});

test('the runner rejects a bad link with the named-field messages and a non-zero exit', async () => {
  const r = await lab(['run', '#lr=abc&bogus=1&epochs=0']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('lr: got "abc", expected a number from 0.00001 to 1');
  expect(r.stderr).toContain('"bogus": unknown field, ignored.');
  expect(r.stderr).toContain('epochs: got "0"');
});

test('the runner rejects a malformed config file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-'));
  const file = join(dir, 'bad.json');
  writeFileSync(file, '{"train": {"epochs": "many"}');
  const r = await lab(['run', file]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('not valid JSON');
});
