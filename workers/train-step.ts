/**
 * One optimizer step and the evaluation of a model, on data kept on the device: the tensor work of
 * the training loop (workers/trainer.ts), shared by training, fine-tuning and distillation.
 */
import * as tf from '@tensorflow/tfjs';
import { exampleCount, type Dataset } from '../src/core/data/dataset';

/** Test-set examples evaluated per forward pass. */
const EVAL_CHUNK = 1000;

/** A dataset on the device: inputs, one-hot targets and integer labels. */
export interface DeviceData {
  readonly x: tf.Tensor;
  readonly oneHot: tf.Tensor;
  readonly labels: tf.Tensor1D;
}

export function toDevice(d: Dataset): DeviceData {
  const n = exampleCount(d);
  return tf.tidy(() => {
    const labels = tf.tensor1d(Int32Array.from(d.y), 'int32');
    return { x: tf.tensor(d.x, [n, ...d.inputShape]), oneHot: tf.oneHot(labels, d.numClasses).toFloat(), labels };
  });
}

export function disposeDevice(d: DeviceData): void {
  tf.dispose([d.x, d.oneHot, d.labels]);
}

/** The loss of one batch, built inside the gradient tape. */
export interface BatchLossTerms {
  /** What is differentiated and minimised. */
  readonly objective: tf.Scalar;
  /** What the loss curve shows, when it is not the objective (a penalty's share is not learning progress). */
  readonly shown?: tf.Scalar;
  /** Per-example class scores (probabilities or logits): their argmax is the prediction counted for accuracy. */
  readonly output: tf.Tensor;
}

/** The loss of a batch of inputs `x` with one-hot targets `oneHot`, for `model` in training mode. */
export type BatchLoss = (model: tf.LayersModel, x: tf.Tensor, oneHot: tf.Tensor) => BatchLossTerms;

/** Categorical cross-entropy of the model's softmax output: the task loss. */
export const crossEntropyLoss: BatchLoss = (model, x, oneHot) => {
  const output = model.apply(x, { training: true }) as tf.Tensor;
  return { objective: tf.metrics.categoricalCrossentropy(oneHot, output).mean() as tf.Scalar, output };
};

/** What one step leaves on the device for the metrics pipe. */
export interface StepScalars {
  readonly loss: tf.Scalar;
  readonly correct: tf.Scalar;
}

/**
 * One optimizer step on the batch of `train` at `order[at .. at + size)`: only `trainable` is
 * differentiated (without a list, tfjs differentiates every variable alive in the engine).
 * Returns the shown loss and the correct count of the same forward pass, kept on the device.
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  trainable: tf.Variable[],
  loss: BatchLoss,
  train: DeviceData,
  order: tf.Tensor1D,
  at: number,
  size: number,
): StepScalars {
  return tf.tidy(() => {
    const idx = order.slice(at, size);
    const xb = tf.gather(train.x, idx);
    const yb = tf.gather(train.oneHot, idx);
    const lb = tf.gather(train.labels, idx);
    let output: tf.Tensor | null = null;
    let shown: tf.Scalar | null = null;
    const cost = optimizer.minimize(
      () => {
        const terms = loss(model, xb, yb);
        output = tf.keep(terms.output);
        if (terms.shown) shown = tf.keep(terms.shown);
        return terms.objective;
      },
      true,
      trainable,
    ) as tf.Scalar;
    // Accuracy from the same forward pass, outside the gradient tape.
    const out = output as unknown as tf.Tensor;
    const correct = tf.keep(out.argMax(-1).equal(lb).sum() as tf.Scalar);
    out.dispose();
    if (shown) cost.dispose();
    return { loss: shown ?? tf.keep(cost), correct };
  });
}

/**
 * Mean cross-entropy and accuracy of `model` on `test`, a chunk at a time, with one readback;
 * `readback` may race it against a lost device.
 */
export async function evaluateOn(
  model: tf.LayersModel,
  test: DeviceData,
  readback: (p: Promise<Float32Array>) => Promise<Float32Array> = (p) => p,
): Promise<{ loss: number; accuracy: number }> {
  const count = test.labels.shape[0];
  let sums = tf.zeros([2]);
  for (let start = 0; start < count; start += EVAL_CHUNK) {
    const size = Math.min(EVAL_CHUNK, count - start);
    const next = tf.tidy(() => {
      const probs = model.predict(test.x.slice(start, size)) as tf.Tensor;
      const loss = tf.metrics.categoricalCrossentropy(test.oneHot.slice(start, size), probs).sum();
      const correct = probs.argMax(-1).equal(test.labels.slice(start, size)).sum().toFloat();
      return sums.add(tf.stack([loss, correct]));
    });
    sums.dispose();
    sums = next;
  }
  try {
    const [loss, correct] = await readback(sums.data() as Promise<Float32Array>);
    return { loss: (loss as number) / count, accuracy: (correct as number) / count };
  } finally {
    sums.dispose();
  }
}

/** Test accuracy of `model` on a dataset held in memory (uploaded for the call). */
export async function evaluateDataset(model: tf.LayersModel, test: Dataset): Promise<{ loss: number; accuracy: number }> {
  const device = toDevice(test);
  try {
    return await evaluateOn(model, device);
  } finally {
    disposeDevice(device);
  }
}
