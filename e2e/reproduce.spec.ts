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
  const json = JSON.parse(readFileSync(out, 'utf8')) as { traces: Record<string, Record<string, unknown>> };
  const row = json.traces['ciso-slice'] as {
    baseline: { testAccuracy: number; kWh: number; gCO2e: number };
    carbonAware: { testAccuracy: number; kWh: number; gCO2e: number };
    carbonReduction: number;
    accuracyDrop: number;
    startHours: { baseline: number };
  };
  for (const run of [row.baseline, row.carbonAware]) {
    expect(run.testAccuracy).toBeGreaterThan(0.85);
    expect(run.kWh).toBeGreaterThan(0);
    expect(run.gCO2e).toBeGreaterThan(0);
  }
  // Fractions, consistent with the figures they summarise.
  expect(row.carbonReduction).toBeCloseTo(1 - row.carbonAware.gCO2e / row.baseline.gCO2e, 12);
  expect(row.accuracyDrop).toBeCloseTo(row.baseline.testAccuracy - row.carbonAware.testAccuracy, 12);
  // Every start hour whose 4 h job and 24 h of slack fit the 240 h slice.
  expect(row.startHours.baseline).toBe(240 - 28 + 1);
});
