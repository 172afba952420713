/**
 * Looks inside the model for the page's views: the decision boundary of a 2-D model on a grid,
 * the dense kernels for the network drawing, and the test split's confusion matrix. Called between
 * training steps (a worker call runs when the loop yields), at most a few times a second by the page.
 */
import * as tf from '@tensorflow/tfjs';
import { exampleCount, featureSize, type Dataset } from '../src/core/data/dataset';
import { gridPoints, type GridBounds } from '../src/core/inspect/boundary';
import { argmaxRows, confusionMatrix } from '../src/core/inspect/confusion';

/** The model's class probabilities on an n x n grid over `bounds` (row-major, numClasses a cell). */
export async function boundaryProbabilities(model: tf.LayersModel, bounds: GridBounds, n: number): Promise<Float32Array> {
  const probs = tf.tidy(() => model.predict(tf.tensor2d(gridPoints(bounds, n), [n * n, 2])) as tf.Tensor);
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

/** Kernels of the Dense layers in order, with the layer sizes they connect (inputs first). */
export async function denseKernels(model: tf.LayersModel): Promise<{ sizes: number[]; kernels: Float32Array[] }> {
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  const kernels: Float32Array[] = [];
  const sizes: number[] = [];
  for (const layer of dense) {
    const kernel = layer.getWeights()[0] as tf.Tensor;
    const [inputs, outputs] = kernel.shape as [number, number];
    if (sizes.length === 0) sizes.push(inputs);
    sizes.push(outputs);
    kernels.push((await kernel.data()) as Float32Array);
  }
  return { sizes, kernels };
}

/** Predicts the test split in chunks and returns its confusion matrix. */
export async function testConfusion(model: tf.LayersModel, test: Dataset, perCell = 24): Promise<ReturnType<typeof confusionMatrix>> {
  const n = exampleCount(test);
  const size = featureSize(test);
  const predicted = new Uint8Array(n);
  const chunk = 512;
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    const probs = tf.tidy(() => model.predict(tf.tensor(test.x.subarray(start * size, (start + count) * size), [count, ...test.inputShape])) as tf.Tensor);
    try {
      predicted.set(argmaxRows((await probs.data()) as Float32Array, test.numClasses), start);
    } finally {
      probs.dispose();
    }
  }
  return confusionMatrix(test.y, predicted, test.numClasses, perCell);
}
