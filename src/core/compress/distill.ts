/**
 * Knowledge-distillation loss in plain float64 arithmetic: the reference the worker's tfjs
 * implementation is tested against.
 *
 * Hinton, Vinyals and Dean, "Distilling the Knowledge in a Neural Network" (2015),
 * arXiv:1503.02531, section 2. For a batch of B examples over C classes, with student logits
 * z, teacher logits v, targets y (one-hot or any distribution), temperature T and weight alpha:
 *
 *   p_T = softmax(v / T),  q_T = softmax(z / T),  q = softmax(z)
 *   hard = mean_b [ -sum_c y log q ]                      cross-entropy with the labels
 *   soft = mean_b [ T^2 * KL(p_T || q_T) ]                 = T^2 * sum_c p_T (log p_T - log q_T)
 *   total = alpha * hard + (1 - alpha) * soft
 *
 * The T^2 factor keeps the soft term's gradient magnitude independent of T (the paper's
 * section 2). alpha weights the hard term as in the Keras "Knowledge Distillation" example
 * (keras.io/examples/vision/knowledge_distillation, Distiller.compile(alpha=0.1)). The soft
 * term is the KL divergence, so it is 0 when the student matches the teacher; the paper's
 * cross-entropy with soft targets is KL plus the teacher's entropy, a constant with the same
 * gradient.
 */

/** One distillation batch: logits and targets row-major, [batch, numClasses]. */
export interface DistillationBatch {
  readonly studentLogits: Float32Array;
  readonly teacherLogits: Float32Array;
  /** Hard targets: one-hot rows (see `oneHot`) or any rows summing to 1. */
  readonly targets: Float32Array;
  readonly numClasses: number;
  /** T > 0; 1 leaves the logits as they are. */
  readonly temperature: number;
  /** Weight of the hard term, in [0, 1]; the soft term gets 1 - alpha. */
  readonly alpha: number;
}

/** The loss and its two terms, each a batch mean; `soft` already includes T^2. */
export interface DistillationLoss {
  readonly total: number;
  readonly hard: number;
  readonly soft: number;
}

/** Row-wise softmax(logits / temperature), computed stably (max subtracted). */
export function softmax(logits: Float32Array, numClasses: number, temperature = 1): Float64Array {
  const out = logSoftmax(logits, numClasses, temperature);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]!);
  return out;
}

/** Row-wise log softmax(logits / temperature): x/T - max - log(sum exp(x/T - max)). */
export function logSoftmax(logits: Float32Array, numClasses: number, temperature = 1): Float64Array {
  checkRows(logits, numClasses, 'logits');
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  const out = new Float64Array(logits.length);
  for (let row = 0; row < logits.length; row += numClasses) {
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logits[row + c]! / temperature);
    let sum = 0;
    for (let c = 0; c < numClasses; c++) sum += Math.exp(logits[row + c]! / temperature - max);
    const logSum = Math.log(sum);
    for (let c = 0; c < numClasses; c++) out[row + c] = logits[row + c]! / temperature - max - logSum;
  }
  return out;
}

/** The Hinton et al. distillation loss of a batch (formula in the module comment). */
export function distillationLoss(batch: DistillationBatch): DistillationLoss {
  const { numClasses: c, temperature: t, alpha } = checkBatch(batch);
  const logQ = logSoftmax(batch.studentLogits, c);
  const logQT = logSoftmax(batch.studentLogits, c, t);
  const logPT = logSoftmax(batch.teacherLogits, c, t);
  let hard = 0;
  let soft = 0;
  for (let i = 0; i < logQ.length; i++) {
    const y = batch.targets[i]!;
    if (y !== 0) hard -= y * logQ[i]!;
    const p = Math.exp(logPT[i]!);
    if (p !== 0) soft += p * (logPT[i]! - logQT[i]!);
  }
  const rows = logQ.length / c;
  hard /= rows;
  soft = (t * t * soft) / rows;
  return { total: alpha * hard + (1 - alpha) * soft, hard, soft };
}

/**
 * d total / d studentLogits, [batch, numClasses]: per row
 * alpha * (q - y) / B + (1 - alpha) * T * (q_T - p_T) / B
 * (the soft term's 1/T from the chain rule times T^2 leaves T; paper's equation 2).
 */
export function distillationGradient(batch: DistillationBatch): Float64Array {
  const { numClasses: c, temperature: t, alpha } = checkBatch(batch);
  const q = softmax(batch.studentLogits, c);
  const qT = softmax(batch.studentLogits, c, t);
  const pT = softmax(batch.teacherLogits, c, t);
  const rows = q.length / c;
  const grad = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) {
    grad[i] = (alpha * (q[i]! - batch.targets[i]!) + (1 - alpha) * t * (qT[i]! - pT[i]!)) / rows;
  }
  return grad;
}

/** One-hot rows for integer class labels. */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(`label ${i} is ${label}, outside 0..${numClasses - 1}`);
    }
    out[i * numClasses + label] = 1;
  }
  return out;
}

function checkBatch(batch: DistillationBatch): DistillationBatch {
  const { studentLogits, teacherLogits, targets, numClasses, temperature, alpha } = batch;
  checkRows(studentLogits, numClasses, 'studentLogits');
  if (teacherLogits.length !== studentLogits.length || targets.length !== studentLogits.length) {
    throw new RangeError(`studentLogits (${studentLogits.length}), teacherLogits (${teacherLogits.length}) and targets (${targets.length}) must have the same length`);
  }
  if (studentLogits.length === 0) throw new RangeError('the batch is empty');
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  return batch;
}

function checkRows(values: Float32Array, numClasses: number, name: string): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  if (values.length % numClasses !== 0) throw new RangeError(`${name} length ${values.length} is not a multiple of numClasses ${numClasses}`);
}
