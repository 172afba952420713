import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema';
import { buildResult, validateResult } from '../result';
import { mulberry32 } from '../data/prng';
import { decodeResultLink, encodeResultToken, isResultHash, resultLinkUrl } from './link';
import { cleanNickname, downsampleCurve, summariseResult } from './summary';
import { base64urlDecode, base64urlEncode } from './base64url';
import { defaultRunResult } from './test-helpers';

const PAGE = 'https://lab.example.org/';

describe('the result link', () => {
  it('round-trips the summary of the default run in at most 2,000 characters', () => {
    const summary = summariseResult(defaultRunResult(), 'Ada L.');
    const link = resultLinkUrl(PAGE, summary);
    expect(link.length - PAGE.length).toBeLessThanOrEqual(2000);
    const decoded = decodeResultLink(link);
    expect(decoded).toEqual({ ok: true, summary, checksum: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(isResultHash(link.split('#')[1]!)).toBe(true);
  });

  it('keeps test accuracy exact and the curve at 64 points or fewer', () => {
    const s = summariseResult(defaultRunResult({ accuracy: 0.8916666666666667 }));
    expect(s.metrics.acc).toBe(0.8916666666666667);
    expect(s.curve).toHaveLength(64);
    expect(downsampleCurve([1, 2, 3])).toEqual([1, 2, 3]);
    expect(downsampleCurve([1, 1, 3, 3], 2)).toEqual([1, 3]);
  });

  it('names a truncated link, at every length it could be cut to', () => {
    const token = encodeResultToken(summariseResult(defaultRunResult()));
    for (let cut = 3; cut < token.length; cut += 7) {
      const d = decodeResultLink(`#${token.slice(0, cut)}`);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.problem).toBe('truncated');
    }
  });

  it('names a damaged link by its checksum, whichever character changed', () => {
    const token = encodeResultToken(summariseResult(defaultRunResult()));
    const random = mulberry32(11);
    const start = token.lastIndexOf('.') + 1;
    for (let k = 0; k < 100; k++) {
      const at = start + Math.floor(random() * (token.length - start));
      const swapped = token[at] === 'A' ? 'B' : 'A';
      const d = decodeResultLink(`#${token.slice(0, at)}${swapped}${token.slice(at + 1)}`);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(['failed-checksum', 'not-a-result']).toContain(d.problem);
    }
  });

  it('names a link of another version and text that holds no result', () => {
    const token = encodeResultToken(summariseResult(defaultRunResult()));
    const v2 = decodeResultLink(`#${token.replace('r=1.', 'r=2.')}`);
    expect(v2).toMatchObject({ ok: false, problem: 'wrong-version' });
    expect(decodeResultLink('#lr=0.01')).toMatchObject({ ok: false, problem: 'not-a-result' });
  });

  it('holds no credential and nothing personal but the nickname', () => {
    const result = defaultRunResult();
    result.carbon!.fallbackNotice = 'Electricity Maps rejected the key sk-secret-123 (HTTP 401).';
    const json = JSON.stringify(summariseResult(result, '  Ada\u0007   L.  '));
    expect(json).not.toContain('sk-secret');
    expect(json).not.toContain('intensitySeries');
    expect(cleanNickname(`  Ada\u0007   L.  `)).toBe('Ada L.');
    expect(cleanNickname('x'.repeat(100))).toHaveLength(40);
  });

  it('is written into the result file, which still validates', () => {
    const summary = {
      backend: { choice: 'auto', backend: 'wasm', explanation: '', skipped: [], adapter: null, timestampQuery: false },
      data: { name: 'xor', trainExamples: 1, testExamples: 1, inputShape: [2], numClasses: 2 },
      metrics: { testAccuracy: 1, trainLoss: 0, epochs: 1, steps: 2, samplesPerSecond: 1, wallSeconds: 2 },
      lossCurve: [1, 0.5], epochs: [], outcome: 'finished', steps: [],
    } as const;
    const result = buildResult(defaultConfig(), summary, `${PAGE}#old`, new Date(0));
    expect(validateResult(result)).toEqual([]);
    expect(result.resultLink?.startsWith(`${PAGE}#r=1.`)).toBe(true);
    const d = decodeResultLink(result.resultLink!);
    expect(d.ok && d.summary.metrics.acc).toBe(1);
  });
});

describe('base64url', () => {
  it('round-trips bytes of every length and rejects characters outside its alphabet', () => {
    const random = mulberry32(3);
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
      const text = base64urlEncode(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(base64urlDecode(text)).toEqual(bytes);
    }
    expect(base64urlEncode(new TextEncoder().encode('hello?>'))).toBe('aGVsbG8_Pg');
    expect(base64urlDecode('ab+c')).toBeNull();
  });
});
