/**
 * One optimizer step and the evaluation of a model, on data kept on the device: the tensor work of
 * the training loop (workers/trainer.ts), shared by training, fine-tuning and distillation.
 */
import * as tf from '@tensorflow/tfjs';
import { exampleCount, featureSize, type Dataset } from '../src/core/data/dataset';

/** Test-set examples evaluated per forward pass. */
const EVAL_CHUNK = 1000;

/**
 * The examples in JS memory, for a backend whose tensors live in the host's memory (wasm, cpu).
 * There a batch is copied rows: measured in Node on wasm (tfjs 4.22, 8,000 x 784 inputs, batch 64),
 * a gather kernel took 3.1 ms against 0.06 ms for the copy, about half of a 16-unit MLP's step,
 * and a slice of the device tensor copies the whole tensor first (the wasm backend's `readSync`
 * takes a copy of the heap: 8.9 ms for 64 rows of 8,000).
 */
interface HostRows {
  readonly x: Float32Array;
  readonly y: ArrayLike<number>;
  readonly inputShape: readonly number[];
  readonly rowSize: number;
  readonly numClasses: number;
}

/** A dataset on the device: inputs, one-hot targets and integer labels, and the host's rows where batches are copied from there. */
export interface DeviceData {
  readonly x: tf.Tensor;
  readonly oneHot: tf.Tensor;
  readonly labels: tf.Tensor1D;
  readonly host: HostRows | null;
}

/** Backends whose tensors are in the host's memory, so a batch is best copied from JS (see HostRows). */
const HOST_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);

export function toDevice(d: Dataset, hostRows = HOST_MEMORY_BACKENDS.has(tf.getBackend())): DeviceData {
  const n = exampleCount(d);
  const host = hostRows ? { x: d.x, y: d.y, inputShape: d.inputShape, rowSize: featureSize(d), numClasses: d.numClasses } : null;
  // `host` stays out of the tidy: it walks what it returns, every element of a typed array included.
  const tensors = tf.tidy(() => {
    const labels = tf.tensor1d(Int32Array.from(d.y), 'int32');
    return { x: tf.tensor(d.x, [n, ...d.inputShape]), oneHot: tf.oneHot(labels, d.numClasses).toFloat(), labels };
  });
  return { ...tensors, host };
}

export function disposeDevice(d: DeviceData): void {
  tf.dispose([d.x, d.oneHot, d.labels]);
}

/** Examples of a dataset as tensors: inputs, one-hot targets and labels. */
export interface Rows {
  readonly x: tf.Tensor;
  readonly oneHot: tf.Tensor;
  readonly labels: tf.Tensor1D;
}

/** The examples `index(0) .. index(size - 1)` copied from the host's rows into new tensors. */
function hostRows(h: HostRows, size: number, index: (r: number) => number): Rows {
  const x = new Float32Array(size * h.rowSize);
  const oneHot = new Float32Array(size * h.numClasses);
  const labels = new Int32Array(size);
  for (let r = 0; r < size; r++) {
    const i = index(r);
    x.set(h.x.subarray(i * h.rowSize, (i + 1) * h.rowSize), r * h.rowSize);
    const label = h.y[i] as number;
    labels[r] = label;
    oneHot[r * h.numClasses + label] = 1;
  }
  return { x: tf.tensor(x, [size, ...h.inputShape]), oneHot: tf.tensor2d(oneHot, [size, h.numClasses]), labels: tf.tensor1d(labels, 'int32') };
}

/**
 * The model's output for `x` in inference mode, in one pass: what `predict` computes, without its
 * loop over batches of 32, each a slice that on wasm copies the whole input first (measured in
 * Node, tfjs 4.22: 57 ms against 1.6 ms for 1,000 MNIST examples through a 16-unit MLP).
 */
export function inferenceOutput(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  return model.apply(x, { training: false }) as tf.Tensor;
}

/** Examples `start .. start + size` of `data`, in order (evaluation chunks, probe sets); the caller disposes them. */
export function rowsOf(data: DeviceData, start: number, size: number): Rows {
  if (data.host) return hostRows(data.host, size, (r) => start + r);
  return tf.tidy(() => ({ x: data.x.slice(start, size), oneHot: data.oneHot.slice(start, size), labels: data.labels.slice(start, size) }));
}

/** One epoch's shuffle order: on the host, and on the device when batches are gathered there. */
export interface EpochOrder {
  readonly host: Int32Array;
  readonly device: tf.Tensor1D | null;
}

export function epochOrder(order: Int32Array, data: DeviceData): EpochOrder {
  return { host: order, device: data.host ? null : tf.tensor1d(order, 'int32') };
}

export function disposeOrder(order: EpochOrder | null): void {
  if (order?.device && !order.device.isDisposed) order.device.dispose();
}

/** The batch at `order[at .. at + size)`: copied rows on the host, a gather on the device. Call inside a tidy. */
function batchOf(data: DeviceData, order: EpochOrder, at: number, size: number): Rows {
  if (data.host) return hostRows(data.host, size, (r) => order.host[at + r] as number);
  const idx = (order.device as tf.Tensor1D).slice(at, size);
  return { x: tf.gather(data.x, idx), oneHot: tf.gather(data.oneHot, idx), labels: tf.gather(data.labels, idx) };
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
  order: EpochOrder,
  at: number,
  size: number,
): StepScalars {
  return tf.tidy(() => {
    const { x: xb, oneHot: yb, labels: lb } = batchOf(train, order, at, size);
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
      const rows = rowsOf(test, start, size);
      const probs = inferenceOutput(model, rows.x);
      const loss = tf.metrics.categoricalCrossentropy(rows.oneHot, probs).sum();
      const correct = probs.argMax(-1).equal(rows.labels).sum().toFloat();
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
