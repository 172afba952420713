/**
 * Small 2-D datasets for classroom demos, generated from the seed: they train in seconds and
 * their decision boundaries are easy to picture.
 */
import type { DatasetId, OwnDatasetId } from '../config/schema';
import type { Dataset } from './dataset';
import { deriveSeed, gaussian, mulberry32 } from './prng';

export type SyntheticId = Exclude<DatasetId, 'mnist' | OwnDatasetId>;

interface Generated {
  readonly numClasses: number;
  readonly point: (i: number, n: number, random: () => number, noise: number) => [number, number, number];
}

const GENERATORS: Record<SyntheticId, Generated> = {
  // Two interleaved arms, each turning 1.75 times around the origin.
  spiral: {
    numClasses: 2,
    point: (i, n, random, noise) => {
      const label = i % 2;
      const t = (Math.floor(i / 2) / Math.ceil(n / 2)) * 1.75 * 2 * Math.PI;
      const r = t / (3.5 * Math.PI);
      const angle = t + label * Math.PI;
      return [r * Math.sin(angle) + noise * gaussian(random) * 0.2, r * Math.cos(angle) + noise * gaussian(random) * 0.2, label];
    },
  },
  // An inner disc and an outer ring.
  circles: {
    numClasses: 2,
    point: (i, _n, random, noise) => {
      const label = i % 2;
      const r = label === 0 ? random() * 0.4 : 0.6 + random() * 0.4;
      const angle = random() * 2 * Math.PI;
      return [r * Math.sin(angle) + noise * gaussian(random) * 0.2, r * Math.cos(angle) + noise * gaussian(random) * 0.2, label];
    },
  },
  // Label is whether x and y have the same sign.
  xor: {
    numClasses: 2,
    point: (_i, _n, random, noise) => {
      const x = random() * 2 - 1;
      const y = random() * 2 - 1;
      return [x + noise * gaussian(random) * 0.2, y + noise * gaussian(random) * 0.2, x * y >= 0 ? 0 : 1];
    },
  },
  // Three Gaussian clusters on a circle.
  blobs: {
    numClasses: 3,
    point: (i, _n, random, noise) => {
      const label = i % 3;
      const angle = (label * 2 * Math.PI) / 3;
      const spread = 0.15 + noise;
      return [0.6 * Math.cos(angle) + spread * gaussian(random), 0.6 * Math.sin(angle) + spread * gaussian(random), label];
    },
  },
};

/** Generates `samples` labelled 2-D points; the same (id, samples, noise, seed) always give the same data. */
export function syntheticDataset(id: SyntheticId, samples: number, noise: number, seed: number): Dataset {
  const gen = GENERATORS[id];
  const random = mulberry32(deriveSeed(seed, `data-${id}`));
  const x = new Float32Array(samples * 2);
  const y = new Uint8Array(samples);
  for (let i = 0; i < samples; i++) {
    const [px, py, label] = gen.point(i, samples, random, noise);
    x[2 * i] = px;
    x[2 * i + 1] = py;
    y[i] = label;
  }
  return { name: id, inputShape: [2], numClasses: gen.numClasses, x, y };
}
