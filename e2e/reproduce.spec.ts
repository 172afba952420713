import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

const run = promisify(execFile);

test('npm run reproduce on a short trace slice trains both runs headless and writes the JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reproduce-'));
  // Ten days of California's 2022 trace, in the layout of the bundled traces.
  const lines = readFileSync('public/traces/us-ciso-2022.csv', 'utf8').split('\n').slice(0, 1 + 240);
  const trace = join(dir, 'ciso-slice.csv');
  writeFileSync(trace, lines.join('\n'));
  const out = join(dir, 'reproduce.json');
  const { stdout } = await run('npx', ['tsx', 'scripts/reproduce.ts', '--backend', 'wasm', '--trace', trace, '--out', out], { timeout: 200_000 });
  expect(stdout).toContain('mean carbon reduction');
  const json = JSON.parse(readFileSync(out, 'utf8')) as { seeds: number[]; traces: Record<string, Record<string, unknown>> };
  expect(json.seeds).toEqual([42]);
  interface Run { testAccuracy: number; kWh: number; gCO2e: number }
  const row = json.traces['ciso-slice'] as {
    carbonReduction: number;
    accuracyDrop: number;
    spread: { carbonReduction: { mean: number; n: number } };
    perSeed: { seed: number; baseline: Run; carbonAware: Run; carbonReduction: number; accuracyDrop: number; startHours: { baseline: number } }[];
  };
  expect(row.perSeed).toHaveLength(1);
  const [one] = row.perSeed;
  if (!one) throw new Error('no per-seed figures');
  for (const run of [one.baseline, one.carbonAware]) {
    expect(run.testAccuracy).toBeGreaterThan(0.85);
    expect(run.kWh).toBeGreaterThan(0);
    expect(run.gCO2e).toBeGreaterThan(0);
  }
  // Fractions, consistent with the figures they summarise; with one seed the mean is that seed's.
  expect(one.carbonReduction).toBeCloseTo(1 - one.carbonAware.gCO2e / one.baseline.gCO2e, 12);
  expect(one.accuracyDrop).toBeCloseTo(one.baseline.testAccuracy - one.carbonAware.testAccuracy, 12);
  expect(row.carbonReduction).toBe(one.carbonReduction);
  expect(row.accuracyDrop).toBe(one.accuracyDrop);
  expect(row.spread.carbonReduction).toMatchObject({ mean: one.carbonReduction, n: 1 });
  // Every start hour whose 4 h job and 24 h of slack fit the 240 h slice.
  expect(one.startHours.baseline).toBe(240 - 28 + 1);
});
