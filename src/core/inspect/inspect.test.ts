import { describe, expect, it } from 'vitest';
import { argmaxRows, confusionMatrix, worstConfusions } from './confusion';
import { boundaryPixels, boundsOf, gridPoints } from './boundary';
import { drawNetwork, MAX_DRAWN_NEURONS } from './network';

describe('confusion matrix', () => {
  it('counts each actual/predicted pair and keeps the examples of each cell', () => {
    const c = confusionMatrix([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 1, 2], 3, 1);
    expect(Array.from(c.counts)).toEqual([1, 1, 0, 0, 2, 0, 0, 1, 1]);
    expect(c.examples[1]).toEqual([1]);
    expect(c.examples[4]).toEqual([2]);
    expect(c.accuracy).toBeCloseTo(4 / 6);
    expect(worstConfusions(c)).toEqual([{ actual: 0, predicted: 1, count: 1 }, { actual: 2, predicted: 1, count: 1 }]);
  });

  it('reads predictions from rows of scores', () => {
    expect(Array.from(argmaxRows([0.1, 0.9, 0.7, 0.3, 0.2, 0.2], 2))).toEqual([1, 0, 0]);
  });
});

describe('decision boundary', () => {
  it('covers the data with a padded grid, top row first', () => {
    const b = boundsOf([0, 0, 10, 20]);
    expect(b).toEqual({ xMin: -1, xMax: 11, yMin: -2, yMax: 22 });
    const g = gridPoints(b, 2);
    expect(Array.from(g)).toEqual([2, 16, 8, 16, 2, 4, 8, 4]);
  });

  it('paints each cell its class colour, fainter where the model is unsure', () => {
    const px = boundaryPixels([1, 0, 0.5, 0.5], 1, 2);
    const unsure = boundaryPixels([0.5, 0.5], 1, 2);
    expect(px[3]).toBe(255);
    // The sure cell is more saturated (further from white) than the unsure one.
    expect((px[0] as number) + (px[1] as number) + (px[2] as number)).toBeLessThan((unsure[0] as number) + (unsure[1] as number) + (unsure[2] as number));
  });
});

describe('network drawing', () => {
  it('draws no line for a pruned weight and thicker lines for larger ones', () => {
    const d = drawNetwork([2, 2], [[0.5, 0, -1, 0.25]]);
    expect(d.nodes).toHaveLength(4);
    expect(d.nonZero).toBe(3);
    expect(d.total).toBe(4);
    expect(d.edges.map((e) => [e.from, e.to, e.weight])).toEqual([[1, 2, -1], [0, 2, 0.5], [1, 3, 0.25]]);
    expect(d.edges[0]?.width).toBeGreaterThan(d.edges[2]?.width as number);
  });

  it('shows at most a fixed number of neurons a layer and counts the rest', () => {
    const d = drawNetwork([784, 128, 10], [new Float32Array(784 * 128).fill(0.1), new Float32Array(1280).fill(0.2)]);
    expect(d.hidden).toEqual([784 - MAX_DRAWN_NEURONS, 128 - MAX_DRAWN_NEURONS, 0]);
    expect(d.edges.length).toBeLessThanOrEqual(1500);
  });
});
