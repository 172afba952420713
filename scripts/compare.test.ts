import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../src/core/config/schema.ts';
import { resultLinkUrl } from '../src/core/results/link.ts';
import { summariseResult } from '../src/core/results/summary.ts';
import { defaultRunResult } from '../src/core/results/test-helpers.ts';
import { parseCompareArgs, runCompare } from './compare.ts';
import { parseVerifyArgs } from './verify.ts';

function linkFor(batch: number, nick: string): string {
  const config = defaultConfig();
  config.train.batchSize = batch;
  return resultLinkUrl('http://127.0.0.1:4173/', summariseResult(defaultRunResult({ config, seed: batch, kWh: batch * 1e-6 }), nick));
}

function captured(fn: () => number): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: fn(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('lab -- compare', () => {
  it('prints the table and groups, writes the CSV and names the bad entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compare-'));
    const chat = join(dir, 'chat.txt');
    writeFileSync(chat, `Ada: ${linkFor(32, 'Ada')}\nBo: ${linkFor(64, 'Bo')}\nCy: ${linkFor(128, 'Cy').slice(0, 200)}\n`);
    const csv = join(dir, 'out.csv');
    const r = captured(() => runCompare(parseCompareArgs([chat, linkFor(32, 'Ada'), join(dir, 'missing.txt'), '--csv', csv, '--group', 'batch'])));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/who\s+dataset\s+hidden\s+batch/);
    expect(r.out).toContain('grouped by batch size: mean (range)');
    expect(r.out).toContain('2 results (1 duplicate merged), 2 bad entries.');
    expect(r.err).toContain(`skipped ${chat}, line 3: the link is truncated`);
    expect(r.err).toContain('missing.txt: no such file');
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^Ada,,mnist,128,32,/);
  });

  it('exits 2 and names each bad entry when none is usable', () => {
    const r = captured(() => runCompare(parseCompareArgs(['#lr=0.01', linkFor(16, 'x').replace('r=1.', 'r=9.')])));
    expect(r.code).toBe(2);
    expect(r.err).toContain('argument 1: no result link or result file found in it.');
    expect(r.err).toContain('argument 2, line 1: it is a version 9 result link');
    expect(r.err).toContain('No usable result among the inputs (2 bad entries)');
  });

  it('rejects bad options', () => {
    expect(() => parseCompareArgs([])).toThrow(/usage/);
    expect(() => parseCompareArgs(['x', '--group', 'colour'])).toThrow(/unknown setting "colour"/);
    expect(() => parseVerifyArgs(['x', '--timeout-min', '0'])).toThrow(/positive/);
  });
});
