/**
 * How the experiment fields appear in the settings form: each field's label, its section and when
 * it applies, joined to FIELDS by key (a test checks that every form field exists there and that
 * every field of a form section has a label). The form only renders this.
 */
import { FIELDS, checkConsistency, type ConfigIssue, type ExperimentConfig, type FieldSpec } from './schema';

export interface FormField {
  readonly label: string;
  /** Whether the field matters for this config; fields that do not are kept but hidden. */
  readonly applies?: (c: ExperimentConfig) => boolean;
}

const synthetic = (c: ExperimentConfig) => c.data.dataset !== 'mnist';
const pruning = (c: ExperimentConfig) => c.compress.pruning === 'on';
const framework = (c: ExperimentConfig) => c.objective.framework === 'on';
const budget = (c: ExperimentConfig) => c.compress.budgetWh > 0;

/** The form's sections, in order, with their fields by link key. */
export const FORM_SECTIONS: readonly { readonly title: string; readonly fields: Readonly<Record<string, FormField>> }[] = [
  {
    title: 'Data',
    fields: {
      dataset: { label: 'Dataset' },
      dataUrl: { label: 'Dataset URL (MNIST format)', applies: (c) => !synthetic(c) },
      samples: { label: 'Points', applies: synthetic },
      noise: { label: 'Noise', applies: synthetic },
      testFraction: { label: 'Test share' },
    },
  },
  {
    title: 'Model',
    fields: {
      model: { label: 'Model', applies: (c) => !synthetic(c) || c.model.kind === 'cnn' },
      hidden: { label: 'Hidden units' },
      filters: { label: 'Conv filters', applies: (c) => c.model.kind === 'cnn' },
      activation: { label: 'Activation' },
    },
  },
  {
    title: 'Training',
    fields: {
      optimizer: { label: 'Optimizer' },
      lr: { label: 'Learning rate' },
      momentum: { label: 'Momentum', applies: (c) => c.train.optimizer === 'momentum' },
      batch: { label: 'Batch size' },
      epochs: { label: 'Epochs' },
      seed: { label: 'Seed' },
      backend: { label: 'Backend' },
    },
  },
  {
    title: 'Compression',
    fields: {
      prune: { label: 'Prune while training' },
      sparsity0: { label: 'Initial sparsity', applies: pruning },
      sparsity: { label: 'Final sparsity', applies: pruning },
      pruneFrom: { label: 'Pruning from epoch', applies: pruning },
      pruneTo: { label: 'Pruning to epoch', applies: pruning },
      pruneEvery: { label: 'Mask update every (steps)', applies: pruning },
      precision: { label: 'Export precision' },
      distill: { label: 'Distil a student' },
      T: { label: 'Temperature T', applies: (c) => c.compress.distill === 'on' || (budget(c) && c.compress.onBudget === 'student') },
      alpha: { label: 'Alpha (hard-label weight)', applies: (c) => c.compress.distill === 'on' || (budget(c) && c.compress.onBudget === 'student') },
      student: { label: 'Student hidden units', applies: (c) => c.compress.distill === 'on' || c.compress.onBudget === 'student' },
      budgetWh: { label: 'Energy budget (Wh, 0 = none)' },
      onBudget: { label: 'Over budget', applies: budget },
      budgetSparsity: { label: 'Sparsity over budget', applies: (c) => budget(c) && c.compress.onBudget === 'prune' },
    },
  },
  {
    title: 'Objective: L = α·accuracy + β·energy + γ·carbon',
    fields: {
      framework: { label: 'Multi-objective framework' },
      objAlpha: { label: 'α (accuracy weight)', applies: framework },
      objBeta: { label: 'β (energy weight)', applies: framework },
      objGamma: { label: 'γ (carbon weight)', applies: framework },
      penalty: { label: 'Compute penalty strength', applies: framework },
      shrinkAfter: { label: 'Remove idle neurons after epoch', applies: framework },
      shrinkBelow: { label: 'Idle below (share of largest)', applies: framework },
      minKeep: { label: 'Keep at least (share of neurons)', applies: framework },
      refIntensity: { label: 'Reference gCO2/kWh (0 = first seen)', applies: framework },
      maxBatch: { label: 'Largest batch size', applies: framework },
    },
  },
];

const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

/** A field of the form with its spec and label. */
export interface ShownField {
  readonly spec: FieldSpec;
  readonly label: string;
}

/** The sections with the fields that apply to `config`. */
export function visibleSections(config: ExperimentConfig): { title: string; fields: ShownField[] }[] {
  return FORM_SECTIONS.map((s) => ({
    title: s.title,
    fields: Object.entries(s.fields)
      .filter(([, f]) => f.applies?.(config) ?? true)
      .map(([key, f]) => ({ spec: BY_KEY.get(key) as FieldSpec, label: f.label })),
  }));
}

/** The choices of an enum field, from its schema. */
export function fieldOptions(spec: FieldSpec): readonly string[] {
  const options = (spec.schema as { options?: readonly unknown[] }).options;
  return Array.isArray(options) ? options.map(String) : [];
}

/** A field's label in the form, or its link key when it has none. */
export function fieldLabel(key: string): string {
  for (const s of FORM_SECTIONS) if (s.fields[key]) return (s.fields[key] as FormField).label;
  return key;
}

/**
 * Applies the cross-field checks to the form's config as a link would: each conflict is
 * resolved the way the message says, and the messages are returned for the form to show.
 */
export function reconcile(config: ExperimentConfig): ConfigIssue[] {
  return checkConsistency(config);
}
