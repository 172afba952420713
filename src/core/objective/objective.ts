/**
 * The framework's multi-objective loss, L = alpha * L_accuracy + beta * E + gamma * C, with units.
 *
 * - L_accuracy is the task loss: mean categorical cross-entropy (nats) during training; when whole
 *   runs are ranked, their test error rate (1 - accuracy), so a run is judged on held-out data.
 * - E is energy in kWh divided by a reference energy E_ref (by default the carbon-agnostic
 *   baseline run's energy), so it is dimensionless and 1 means "as much as the baseline".
 * - C = intensity(t) x E, in gCO2e, divided by C_ref (the baseline's carbon), likewise.
 *
 * Normalising by the baseline makes the weights comparable: with alpha = beta = gamma = 1, a
 * run that halves carbon gains 0.5, as much as one that lowers the error rate by 50 points.
 */

/** The weights of the three terms; each at least 0. */
export interface ObjectiveWeights {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

/** The figures of one whole run that the objective scores. */
export interface RunFigures {
  /** Test accuracy in [0, 1]. */
  readonly accuracy: number;
  readonly kWh: number;
  readonly gCO2e: number;
}

/** Reference figures that make energy and carbon dimensionless. */
export interface ObjectiveReference {
  readonly kWh: number;
  readonly gCO2e: number;
}

/** Each term of the objective, already weighted, and their sum. */
export interface ObjectiveTerms {
  readonly accuracy: number;
  readonly energy: number;
  readonly carbon: number;
  readonly total: number;
}

/** Default weights: accuracy first, energy and carbon as strong secondary goals. */
export const DEFAULT_WEIGHTS: ObjectiveWeights = { alpha: 1, beta: 0.25, gamma: 0.25 };

function checkReference(ref: ObjectiveReference): void {
  if (!(ref.kWh > 0) || !(ref.gCO2e > 0)) throw new RangeError('the reference energy and carbon must be positive');
}

/** Scores a whole run (lower is better): alpha*(1-accuracy) + beta*kWh/E_ref + gamma*gCO2e/C_ref. */
export function scoreRun(run: RunFigures, w: ObjectiveWeights, ref: ObjectiveReference): ObjectiveTerms {
  checkReference(ref);
  const accuracy = w.alpha * (1 - run.accuracy);
  const energy = (w.beta * run.kWh) / ref.kWh;
  const carbon = (w.gamma * run.gCO2e) / ref.gCO2e;
  return { accuracy, energy, carbon, total: accuracy + energy + carbon };
}

/**
 * The training-time loss of one step: alpha * taskLoss + beta * E_step / E_ref_step +
 * gamma * intensity * E_step / (I_ref * E_ref_step). `stepKWh` is the step's estimated energy,
 * `refStepKWh` the baseline's energy per step, `intensity` and `refIntensity` in gCO2/kWh.
 */
export function stepObjective(
  taskLoss: number,
  stepKWh: number,
  intensity: number,
  w: ObjectiveWeights,
  ref: { readonly stepKWh: number; readonly intensity: number },
): ObjectiveTerms {
  if (!(ref.stepKWh > 0) || !(ref.intensity > 0)) throw new RangeError('the reference step energy and intensity must be positive');
  const accuracy = w.alpha * taskLoss;
  const energy = (w.beta * stepKWh) / ref.stepKWh;
  const carbon = (w.gamma * intensity * stepKWh) / (ref.intensity * ref.stepKWh);
  return { accuracy, energy, carbon, total: accuracy + energy + carbon };
}

/**
 * The coefficient of the differentiable compute penalty during training: a group-sparsity term
 * over neurons, weighted by each neuron's energy share, and scaled by gamma * intensity(t) / I_ref
 * (plus beta), so the pressure to shrink rises when the grid is dirty.
 * `baseStrength` is the penalty coefficient at the reference intensity with beta = gamma = 1.
 */
export function penaltyCoefficient(intensity: number, w: ObjectiveWeights, refIntensity: number, baseStrength: number): number {
  if (!(refIntensity > 0)) throw new RangeError('the reference intensity must be positive');
  return baseStrength * (w.beta + (w.gamma * intensity) / refIntensity);
}

/**
 * Energy weight of each hidden neuron of an MLP, proportional to the multiply-accumulates it
 * causes per example: a unit of layer l takes in_l inputs and feeds out_l outputs, so it costs
 * in_l + out_l MACs forward (and about twice that backward). Normalised so the mean weight is 1.
 * `sizes` are the layer widths from input to output, e.g. [784, 128, 10].
 */
export function neuronEnergyWeights(sizes: readonly number[]): number[][] {
  const weights: number[][] = [];
  for (let l = 1; l < sizes.length - 1; l++) {
    const macs = (sizes[l - 1] as number) + (sizes[l + 1] as number);
    weights.push(Array.from({ length: sizes[l] as number }, () => macs));
  }
  const all = weights.flat();
  const mean = all.reduce((a, b) => a + b, 0) / Math.max(1, all.length);
  return weights.map((layer) => layer.map((x) => x / mean));
}

/** Multiply-accumulates per example of a forward pass through an MLP with these layer widths. */
export function mlpMacs(sizes: readonly number[]): number {
  let macs = 0;
  for (let l = 1; l < sizes.length; l++) macs += (sizes[l - 1] as number) * (sizes[l] as number);
  return macs;
}
