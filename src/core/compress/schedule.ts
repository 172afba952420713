/**
 * Pruning schedules: at a training step, the target sparsity and whether the masks update.
 *
 * Both schedules follow TensorFlow Model Optimization's
 * tensorflow_model_optimization/python/core/sparsity/keras/pruning_schedule.py
 * (ConstantSparsity, PolynomialDecay and PruningSchedule._should_prune_in_step), including its
 * argument checks. TFMOT computes in float32; these functions compute in float64, so sparsities
 * agree to about 1e-7.
 */

/** TFMOT `PolynomialDecay(initial_sparsity, final_sparsity, begin_step, end_step, power, frequency)`. */
export interface PolynomialDecaySchedule {
  readonly kind: 'polynomial-decay';
  readonly initialSparsity: number;
  readonly finalSparsity: number;
  readonly beginStep: number;
  readonly endStep: number;
  readonly power: number;
  readonly frequency: number;
}

/** TFMOT `ConstantSparsity(target_sparsity, begin_step, end_step=-1, frequency)`; endStep -1 prunes forever. */
export interface ConstantSparsitySchedule {
  readonly kind: 'constant';
  readonly targetSparsity: number;
  readonly beginStep: number;
  readonly endStep: number;
  readonly frequency: number;
}

/** Either schedule; `pruningAt` evaluates both. */
export type PruningSchedule = PolynomialDecaySchedule | ConstantSparsitySchedule;

/** What a schedule says at one step: update the masks now, and to which sparsity. */
export interface PruningStep {
  readonly shouldPrune: boolean;
  readonly sparsity: number;
}

// TFMOT's defaults: power=3, frequency=100 (PolynomialDecay.__init__, ConstantSparsity.__init__).
const DEFAULT_POWER = 3;
const DEFAULT_FREQUENCY = 100;

/**
 * A polynomial-decay schedule, validated as TFMOT validates it (throws RangeError):
 * sparsities in [0, 1), 0 <= beginStep <= endStep, frequency > 0. endStep === beginStep is
 * allowed as in TFMOT; there the decay fraction is taken as 1 from beginStep on (TFMOT would
 * divide by zero), i.e. a one-step jump to finalSparsity.
 */
export function polynomialDecay(options: {
  readonly initialSparsity: number;
  readonly finalSparsity: number;
  readonly beginStep: number;
  readonly endStep: number;
  readonly power?: number;
  readonly frequency?: number;
}): PolynomialDecaySchedule {
  const schedule: PolynomialDecaySchedule = {
    kind: 'polynomial-decay',
    initialSparsity: options.initialSparsity,
    finalSparsity: options.finalSparsity,
    beginStep: options.beginStep,
    endStep: options.endStep,
    power: options.power ?? DEFAULT_POWER,
    frequency: options.frequency ?? DEFAULT_FREQUENCY,
  };
  validateSteps(schedule.beginStep, schedule.endStep, schedule.frequency, false);
  validateSparsity(schedule.initialSparsity, 'initialSparsity');
  validateSparsity(schedule.finalSparsity, 'finalSparsity');
  if (!Number.isFinite(schedule.power)) throw new RangeError('power must be a finite number');
  return schedule;
}

/** A constant-sparsity schedule, validated as TFMOT validates it; endStep defaults to -1 (forever). */
export function constantSparsity(options: {
  readonly targetSparsity: number;
  readonly beginStep: number;
  readonly endStep?: number;
  readonly frequency?: number;
}): ConstantSparsitySchedule {
  const schedule: ConstantSparsitySchedule = {
    kind: 'constant',
    targetSparsity: options.targetSparsity,
    beginStep: options.beginStep,
    endStep: options.endStep ?? -1,
    frequency: options.frequency ?? DEFAULT_FREQUENCY,
  };
  validateSteps(schedule.beginStep, schedule.endStep, schedule.frequency, true);
  validateSparsity(schedule.targetSparsity, 'targetSparsity');
  return schedule;
}

/**
 * The schedule at `step` (an integer training step, counted from 0).
 *
 * PolynomialDecay (TFMOT PolynomialDecay.__call__):
 *   p = clamp((step - beginStep) / (endStep - beginStep), 0, 1)
 *   sparsity = finalSparsity + (initialSparsity - finalSparsity) * (1 - p)^power
 * shouldPrune (TFMOT _should_prune_in_step):
 *   step >= beginStep && (step <= endStep || endStep < 0) && (step - beginStep) mod frequency == 0
 */
export function pruningAt(schedule: PruningSchedule, step: number): PruningStep {
  const shouldPrune = shouldPruneInStep(step, schedule.beginStep, schedule.endStep, schedule.frequency);
  if (schedule.kind === 'constant') return { shouldPrune, sparsity: schedule.targetSparsity };
  const span = schedule.endStep - schedule.beginStep;
  const p = span === 0
    ? (step >= schedule.beginStep ? 1 : 0)
    : Math.min(1, Math.max(0, (step - schedule.beginStep) / span));
  const sparsity = schedule.finalSparsity
    + (schedule.initialSparsity - schedule.finalSparsity) * Math.pow(1 - p, schedule.power);
  return { shouldPrune, sparsity };
}

/** The target sparsity at `step` (see `pruningAt`). */
export function sparsityAt(schedule: PruningSchedule, step: number): number {
  return pruningAt(schedule, step).sparsity;
}

/** Whether the masks update at `step` (see `pruningAt`). */
export function shouldPruneAt(schedule: PruningSchedule, step: number): boolean {
  return pruningAt(schedule, step).shouldPrune;
}

function shouldPruneInStep(step: number, beginStep: number, endStep: number, frequency: number): boolean {
  const inRange = step >= beginStep && (step <= endStep || endStep < 0);
  // Python's floormod is never negative; JS % can be.
  const offset = (((step - beginStep) % frequency) + frequency) % frequency;
  return inRange && offset === 0;
}

function validateSteps(beginStep: number, endStep: number, frequency: number, allowForever: boolean): void {
  if (!Number.isInteger(beginStep) || beginStep < 0) throw new RangeError('beginStep must be an integer >= 0');
  if (!Number.isInteger(endStep)) throw new RangeError('endStep must be an integer');
  if (!allowForever && endStep === -1) throw new RangeError('endStep cannot be -1 for a polynomial decay');
  if (endStep !== -1) {
    if (endStep < 0) throw new RangeError('endStep must be -1 or >= 0');
    if (endStep < beginStep) throw new RangeError('beginStep must be <= endStep when endStep is not -1');
  }
  if (!Number.isInteger(frequency) || frequency <= 0) throw new RangeError('frequency must be an integer > 0');
}

function validateSparsity(sparsity: number, name: string): void {
  if (!(sparsity >= 0 && sparsity < 1)) throw new RangeError(`${name} must be in [0, 1), got ${sparsity}`);
}

/**
 * The last mask update of `schedule` among steps `fromStep` .. `toStep - 1`, with its sparsity, or
 * null when none falls there. A training step at a batch larger than the one the schedule counts
 * in covers several of its steps (see core/train/batch-plan `stepAtBatch`); over one step this is
 * `pruningAt(schedule, fromStep)` when it updates.
 */
export function updateBetween(schedule: PruningSchedule, fromStep: number, toStep: number): { readonly step: number; readonly sparsity: number } | null {
  for (let step = toStep - 1; step >= fromStep; step--) {
    const at = pruningAt(schedule, step);
    if (at.shouldPrune) return { step, sparsity: at.sparsity };
  }
  return null;
}
