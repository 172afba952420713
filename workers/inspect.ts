/**
 * Looks inside the model for the page's views: the decision boundary of a 2-D model on a grid,
 * the dense kernels for the network drawing, and the test split's confusion matrix with its
 * digits. Called between training steps (a worker call runs when the loop yields), at most a few
 * times a second by the page.
 *
 * Every tensor is issued before the first await, so a model that a hook replaces (and disposes)
 * while the readbacks are pending cannot break a snapshot; each readback is copied into an array
 * of its own, because the cpu backend hands out its storage and the page receives it transferred.
 */
import * as tf from '@tensorflow/tfjs';
import { exampleCount, featureSize, type Dataset, type SplitDataset } from '../src/core/data/dataset';
import { boundsOf, gridPoints, type GridBounds } from '../src/core/inspect/boundary';
import { confusionMatrix, type Confusion } from '../src/core/inspect/confusion';
import type { InspectDigits, InspectPoints, InspectRequest, InspectSnapshot } from './contract';
import { inferenceOutput } from './train-step';

/** Test examples predicted per batch for the confusion matrix. */
const CONFUSION_CHUNK = 512;
/** Digits kept per cell of the confusion matrix, and at most this many misclassified in all. */
export const DIGITS_PER_CELL = 10;
export const MISCLASSIFIED_SHOWN = 100;

/** Whether the data are 2-D points, whose decision boundary can be drawn. */
export const isPlanar = (d: Dataset): boolean => d.inputShape.length === 1 && d.inputShape[0] === 2;
/** Whether the data are single-channel square images (MNIST and files in its format). */
export const isGrayImage = (d: Dataset): boolean => d.inputShape.length === 3 && d.inputShape[0] === d.inputShape[1] && d.inputShape[2] === 1;

/** Bounds already worked out, per dataset: a run's data do not change between snapshots. */
const boundsCache = new WeakMap<SplitDataset, GridBounds>();

/** The grid the boundary is predicted on: padded around the training and test points together. */
export function boundaryBounds(data: SplitDataset): GridBounds {
  let bounds = boundsCache.get(data);
  if (!bounds) {
    bounds = boundsOf(planarPoints(data).xy);
    boundsCache.set(data, bounds);
  }
  return bounds;
}

/** The model's class probabilities on an n x n grid over `bounds` (row-major, numClasses a cell), as a tensor. */
function boundaryTensor(model: tf.LayersModel, bounds: GridBounds, n: number): tf.Tensor {
  return tf.tidy(() => inferenceOutput(model, tf.tensor2d(gridPoints(bounds, n), [n * n, 2])));
}

/** Copies of the Dense kernels in order, with the layer sizes they connect (inputs first). */
function denseKernelTensors(model: tf.LayersModel): { sizes: number[]; kernels: tf.Tensor[] } {
  const sizes: number[] = [];
  const kernels: tf.Tensor[] = [];
  for (const layer of model.layers.filter((l) => l.getClassName() === 'Dense')) {
    const kernel = layer.getWeights()[0] as tf.Tensor;
    const [inputs, outputs] = kernel.shape as [number, number];
    if (sizes.length === 0) sizes.push(inputs);
    sizes.push(outputs);
    kernels.push(tf.clone(kernel));
  }
  return { sizes, kernels };
}

/** The predicted class of every test example, as one int32 tensor (predicted in chunks). */
function predictedClasses(model: tf.LayersModel, test: Dataset): tf.Tensor {
  const n = exampleCount(test);
  const size = featureSize(test);
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += CONFUSION_CHUNK) {
      const count = Math.min(CONFUSION_CHUNK, n - start);
      const x = tf.tensor(test.x.subarray(start * size, (start + count) * size), [count, ...test.inputShape]);
      parts.push(tf.argMax(inferenceOutput(model, x), -1));
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts);
  });
}

/** The training points then the test points, with their labels (2-D data). */
export function planarPoints(data: SplitDataset): InspectPoints {
  const xy = new Float32Array(data.train.x.length + data.test.x.length);
  xy.set(data.train.x);
  xy.set(data.test.x, data.train.x.length);
  const labels = new Uint8Array(data.train.y.length + data.test.y.length);
  labels.set(data.train.y);
  labels.set(data.test.y, data.train.y.length);
  return { xy, labels, testFrom: data.train.y.length };
}

/**
 * The test images the views show: every example the confusion matrix keeps for a cell, as 8-bit
 * grey levels, and the misclassified ones among them in test order (at most MISCLASSIFIED_SHOWN).
 */
export function confusionDigits(confusion: Confusion, test: Dataset): InspectDigits {
  const side = test.inputShape[0] as number;
  const k = confusion.numClasses;
  const kept = new Set<number>();
  const wrong: number[] = [];
  confusion.examples.forEach((cell, c) => {
    for (const i of cell) {
      kept.add(i);
      if (Math.floor(c / k) !== c % k) wrong.push(i);
    }
  });
  const indices = Int32Array.from([...kept].sort((a, b) => a - b));
  const pixels = new Uint8Array(indices.length * side * side);
  indices.forEach((index, j) => {
    const image = test.x.subarray(index * side * side, (index + 1) * side * side);
    for (let p = 0; p < image.length; p++) pixels[j * side * side + p] = Math.round(255 * Math.min(1, Math.max(0, image[p] as number)));
  });
  return { side, indices, pixels, misclassified: Int32Array.from(wrong.sort((a, b) => a - b).slice(0, MISCLASSIFIED_SHOWN)) };
}

/** A snapshot of the model for the page: what `request` asks for and the data allow. */
export async function modelSnapshot(model: tf.LayersModel, data: SplitDataset, request: InspectRequest): Promise<InspectSnapshot> {
  const planar = isPlanar(data.train);
  const bounds = planar ? boundaryBounds(data) : null;
  const grid = bounds && request.grid > 0 ? boundaryTensor(model, bounds, request.grid) : null;
  const { sizes, kernels } = denseKernelTensors(model);
  const predicted = request.confusion && isGrayImage(data.test) ? predictedClasses(model, data.test) : null;
  try {
    const [probs, kernelValues, classes] = await Promise.all([
      grid ? grid.data() : null,
      Promise.all(kernels.map((k) => k.data())),
      predicted ? predicted.data() : null,
    ]);
    const confusion = classes ? confusionMatrix(data.test.y, classes, data.test.numClasses, DIGITS_PER_CELL) : null;
    return {
      boundary: bounds && probs ? { n: request.grid, numClasses: data.train.numClasses, bounds, probs: new Float32Array(probs) } : null,
      points: planar && request.points ? planarPoints(data) : null,
      network: { sizes, kernels: kernelValues.map((v) => new Float32Array(v)) },
      confusion,
      digits: confusion ? confusionDigits(confusion, data.test) : null,
    };
  } finally {
    tf.dispose([...kernels, ...(grid ? [grid] : []), ...(predicted ? [predicted] : [])]);
  }
}

/** The buffers of a snapshot, each once, to transfer it to the page without a copy. */
export function snapshotBuffers(s: InspectSnapshot): ArrayBuffer[] {
  const views: ArrayBufferView[] = [...s.network.kernels];
  if (s.boundary) views.push(s.boundary.probs);
  if (s.points) views.push(s.points.xy, s.points.labels);
  if (s.confusion) views.push(s.confusion.counts);
  if (s.digits) views.push(s.digits.indices, s.digits.pixels, s.digits.misclassified);
  return [...new Set(views.map((v) => v.buffer as ArrayBuffer))];
}
