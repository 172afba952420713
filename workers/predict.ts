/**
 * The Try panel in the worker: one inference of the trained model or of its export, timed, with
 * its energy by the lab's power model; and test examples to try it on. Every tensor made here is
 * disposed before the call returns.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendId } from '../src/core/config/schema';
import type { Dataset } from '../src/core/data/dataset';
import { cellEnergyWh } from '../src/core/deploy/table';
import { inputProblem, topClass, valuesIn } from '../src/core/try/input';
import { loadExportZip } from './compress';
import type { PredictRequest, Prediction, TestExample } from './contract';

/** The shape of one example the model takes, e.g. [28, 28, 1] or [2]. */
export const exampleShape = (model: tf.LayersModel): number[] => (model.inputs[0]?.shape ?? []).slice(1).map((d) => d ?? 1);

/** The export zip loaded as a model, kept while the page sends the same bytes. */
export class ExportedModel {
  private bytes: Uint8Array | null = null;
  private model: tf.LayersModel | null = null;

  /** The model of `zip`: the one already loaded when the bytes are the same, else loaded afresh. */
  async of(zip: ArrayBuffer): Promise<tf.LayersModel> {
    const bytes = new Uint8Array(zip);
    if (this.model && this.bytes && sameBytes(this.bytes, bytes)) return this.model;
    this.dispose();
    try {
      this.model = await loadExportZip(bytes);
    } catch (error) {
      throw new Error(`The exported model cannot be loaded (${(error as Error).message}); try the trained model, or export again.`);
    }
    this.bytes = bytes;
    return this.model;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
    this.bytes = null;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Models that have run once: the first pass compiles kernels and allocates buffers, so it is not timed. */
const warmed = new WeakSet<tf.LayersModel>();

/** One forward pass on `input` with its read-back: the probabilities and the wall time in ms. */
async function timedPredict(model: tf.LayersModel, input: Float32Array, shape: readonly number[]): Promise<{ probabilities: number[]; ms: number }> {
  const x = tf.tensor(input, [1, ...shape], 'float32');
  const once = async () => {
    const t0 = performance.now();
    const y = model.predict(x) as tf.Tensor;
    try {
      const values = await y.data();
      return { probabilities: Array.from(values), ms: performance.now() - t0 };
    } finally {
      y.dispose();
    }
  };
  try {
    if (!warmed.has(model)) {
      await once();
      warmed.add(model);
    }
    return await once();
  } finally {
    x.dispose();
  }
}

/**
 * Classifies one input with `model` and estimates the energy of that inference: the deployment
 * table's model of a batch of one on this backend (core/deploy `cellEnergyWh`), so the two agree.
 */
export async function predictOne(model: tf.LayersModel, request: Pick<PredictRequest, 'input' | 'device' | 'model'>): Promise<Prediction> {
  const shape = exampleShape(model);
  const problem = inputProblem(request.input, shape);
  if (problem) throw new Error(problem);
  const { probabilities, ms } = await timedPredict(model, request.input, shape);
  const backend = tf.getBackend() as BackendId;
  const { device } = request;
  const energyWh = device
    ? cellEnergyWh({ backend, precision: 'float32', batchSize: 1, latenciesMs: [ms], wallMs: ms, busyMs: ms }, device.profile, device.pue)
    : null;
  return { probabilities, topClass: topClass(probabilities), ms, backend, energyWh, model: request.model };
}

/** Test example `index` (wrapped into the split) of `test`, its own copy. */
export function testExample(test: Dataset, index: number): TestExample {
  const count = test.y.length;
  if (count === 0) throw new Error('The last run has no test examples to try.');
  const at = ((Math.trunc(index) % count) + count) % count;
  const size = valuesIn(test.inputShape);
  return { input: test.x.slice(at * size, (at + 1) * size).buffer, label: test.y[at] as number, index: at, count, inputShape: [...test.inputShape] };
}
