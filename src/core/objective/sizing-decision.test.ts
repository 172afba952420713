import { describe, expect, it } from 'vitest';
import { aliveWidths, batchLine, batchRecheckEpochs, learningRateLine, widthCandidates, widthLine } from './sizing-decision';
import { rankWidths } from './sizing';

describe('the sizing decision candidates', () => {
  it('counts the neurons the penalty left alive (a layer of zeros has no largest to compare with)', () => {
    expect(aliveWidths([[1, 0.05, 0.5, 0.29], [0.01, 0, 0.002]], 0.3)).toEqual([2, 1]);
    expect(aliveWidths([[0, 0, 0]], 0.3)).toEqual([3]);
  });

  it('measures each width once, largest first, never under minKeep of the layer nor above what is alive', () => {
    const choices = widthCandidates([32], [20], 0.25);
    expect(choices.map((c) => c.hidden)).toEqual([[20], [15], [10], [8]]);
    expect(choices.map((c) => c.keep)).toEqual([20 / 32, 15 / 32, 10 / 32, 8 / 32]);
    // A share that rounds to an existing width is not measured twice; the floor holds per layer.
    expect(widthCandidates([4, 8], [4, 8], 0.5).map((c) => c.hidden)).toEqual([[4, 8], [3, 6], [2, 4]]);
  });
});

describe('the sizing decision log', () => {
  const ranked = rankWidths(
    [
      { keep: 1, hidden: [32], probeLoss: 0.2, macsRatio: 1 },
      { keep: 0.25, hidden: [8], probeLoss: 0.25, macsRatio: 0.25 },
    ],
    { alpha: 1, beta: 0.5, gamma: 0.5 },
    1,
    0.5,
  );

  it('names the chosen width and scores every candidate, largest first', () => {
    const line = widthLine([32], ranked, true, 1, 0.5);
    expect(line.what).toBe('hidden neurons 32 -> 8');
    expect(line.why).toContain('= 1.000) x 50% of the run left');
    expect(line.why.endsWith('32: 0.200 + 0.500 = 0.700; 8: 0.250 + 0.125 = 0.375')).toBe(true);
    expect(widthLine([32], ranked, false, 1, 0.5).what).toBe('hidden neurons kept at 32');
  });

  it('gives the batch size with the measured noise scale, or says it could not be measured', () => {
    expect(batchLine({ gradientSq: 1, traceSigma: 139.4, bSimple: 139.4 }, 64, 128, 256)).toEqual({
      what: 'batch size 64 -> 128',
      why: 'the gradient noise scale B_simple is about 139 examples (McCandlish et al. 2018): batches up to it learn nearly as much per example in fewer, cheaper steps (at most 256)',
    });
    const unknown = batchLine({ gradientSq: -1, traceSigma: 1, bSimple: null }, 64, 64, 256);
    expect(unknown.what).toBe('batch size kept at 64');
    expect(unknown.why).toMatch(/could not be estimated/);
  });

  it('gives the learning rate rule of the optimizer', () => {
    expect(learningRateLine(0.02, 0.101, 'adam')).toEqual({ what: 'learning rate 0.0200 -> 0.101', why: expect.stringMatching(/^Adam: square root/) });
    expect(learningRateLine(0.1, 0.2, 'sgd').why).toBe('linear in the batch ratio (SGD)');
  });
});

describe('batchRecheckEpochs', () => {
  it('doubles the distance from the decision while at least half of the run is left', () => {
    expect(batchRecheckEpochs(0.03, 2)).toEqual([0.06, 0.12, 0.24, 0.48, 0.96]);
    expect(batchRecheckEpochs(0.3, 2)).toEqual([0.6]);
    expect(batchRecheckEpochs(0.5, 2)).toEqual([1]);
    expect(batchRecheckEpochs(1, 2)).toEqual([]);
    expect(batchRecheckEpochs(1, 10)).toEqual([2, 4]);
  });
  it('has none without a decision', () => {
    expect(batchRecheckEpochs(0, 5)).toEqual([]);
  });
});
