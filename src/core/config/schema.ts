/**
 * The experiment config: one versioned, validated object that holds every setting of a run.
 * Reading and writing (URL hash and JSON) are driven by one table of fields, so a field
 * added here is parsed, validated, defaulted and shared in one place.
 */
import * as v from 'valibot';

/** Version of the config format. A link or file with another version is reported, not guessed at. */
export const CONFIG_VERSION = 1;

export const DATASETS = ['mnist', 'spiral', 'circles', 'xor', 'blobs'] as const;
export const MODEL_KINDS = ['mlp', 'cnn'] as const;
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type DatasetId = (typeof DATASETS)[number];
export type ModelKind = (typeof MODEL_KINDS)[number];
export type Activation = (typeof ACTIVATIONS)[number];
export type OptimizerId = (typeof OPTIMIZERS)[number];
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendId = Exclude<BackendChoice, 'auto'>;

export interface ExperimentConfig {
  v: number;
  data: {
    dataset: DatasetId;
    /** URL of a dataset file in the lab's binary format; '' means the built-in MNIST file. */
    url: string;
    /** Number of points generated for synthetic datasets. */
    samples: number;
    /** Noise level of synthetic datasets (standard deviation, in units of the data's scale). */
    noise: number;
    /** Share of the data held out for testing. */
    testFraction: number;
  };
  model: {
    kind: ModelKind;
    /** Units of each hidden Dense layer (MLP), or of the Dense layer after the convolutions (CNN). */
    hidden: number[];
    activation: Activation;
    /** Filters of each 3x3 convolution (CNN only). */
    filters: number[];
  };
  train: {
    optimizer: OptimizerId;
    learningRate: number;
    momentum: number;
    batchSize: number;
    epochs: number;
    seed: number;
  };
  backend: BackendChoice;
}

/** The default experiment: what `{}` and an empty link mean. */
export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze({
  v: CONFIG_VERSION,
  data: { dataset: 'mnist', url: '', samples: 1000, noise: 0.1, testFraction: 0.2 },
  model: { kind: 'mlp', hidden: [128], activation: 'relu', filters: [8, 16] },
  train: { optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 64, epochs: 2, seed: 42 },
  backend: 'auto',
} satisfies ExperimentConfig);

type Kind = 'number' | 'int' | 'enum' | 'intList' | 'url';

/** One setting: its short key in links, its path in the config object, and how to check it. */
export interface FieldSpec {
  /** Key used in the URL hash. */
  readonly key: string;
  /** Dotted path in the JSON config. */
  readonly path: string;
  readonly kind: Kind;
  /** Plain-language description of a valid value, used in error messages. */
  readonly expects: string;
  readonly schema: v.GenericSchema;
}

const num = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));
const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const intList = (min: number, max: number, minLen: number, maxLen: number) =>
  v.pipe(v.array(int(min, max)), v.minLength(minLen), v.maxLength(maxLen));

// Only http(s) URLs, or a path on this site: a link must not be able to make the lab fetch
// from a javascript:, data: or file: address.
const datasetUrl = v.pipe(
  v.string(),
  v.maxLength(2000),
  v.check((s) => s === '' || /^https?:\/\//i.test(s) || /^\/(?!\/)/.test(s), 'must be empty, an http(s) URL or a path starting with /'),
);

const field = (key: string, path: string, kind: Kind, expects: string, schema: v.GenericSchema): FieldSpec => ({
  key,
  path,
  kind,
  expects,
  schema,
});

const list = (xs: readonly string[]) => xs.join(', ');

/** Every setting of the experiment, in link order. The single source of truth for parsing and sharing. */
export const FIELDS: readonly FieldSpec[] = [
  field('v', 'v', 'int', `the config version ${CONFIG_VERSION}`, v.literal(CONFIG_VERSION)),
  field('dataset', 'data.dataset', 'enum', `one of ${list(DATASETS)}`, v.picklist(DATASETS)),
  field('dataUrl', 'data.url', 'url', 'an http(s) URL or a /path of a dataset file (empty for the built-in MNIST)', datasetUrl),
  field('samples', 'data.samples', 'int', 'a whole number from 100 to 20000', int(100, 20000)),
  field('noise', 'data.noise', 'number', 'a number from 0 to 1', num(0, 1)),
  field('testFraction', 'data.testFraction', 'number', 'a number from 0.05 to 0.5', num(0.05, 0.5)),
  field('model', 'model.kind', 'enum', `one of ${list(MODEL_KINDS)}`, v.picklist(MODEL_KINDS)),
  field('hidden', 'model.hidden', 'intList', 'a list of 0 to 5 layer sizes from 1 to 1024, e.g. 128,64', intList(1, 1024, 0, 5)),
  field('activation', 'model.activation', 'enum', `one of ${list(ACTIVATIONS)}`, v.picklist(ACTIVATIONS)),
  field('filters', 'model.filters', 'intList', 'a list of 1 to 4 filter counts from 1 to 128, e.g. 8,16', intList(1, 128, 1, 4)),
  field('optimizer', 'train.optimizer', 'enum', `one of ${list(OPTIMIZERS)}`, v.picklist(OPTIMIZERS)),
  field('lr', 'train.learningRate', 'number', 'a number from 0.00001 to 1', num(1e-5, 1)),
  field('momentum', 'train.momentum', 'number', 'a number from 0 to 0.999', num(0, 0.999)),
  field('batch', 'train.batchSize', 'int', 'a whole number from 1 to 1024', int(1, 1024)),
  field('epochs', 'train.epochs', 'int', 'a whole number from 1 to 100', int(1, 100)),
  // tfjs treats seed 0 as "unseeded" (seed ? seed : Math.random()), so 0 is not allowed.
  field('seed', 'train.seed', 'int', 'a whole number from 1 to 2147483647', int(1, 2147483647)),
  field('backend', 'backend', 'enum', `one of ${list(BACKEND_CHOICES)}`, v.picklist(BACKEND_CHOICES)),
];

/** A problem with one field of a link or config file; the field's default was used instead. */
export interface ConfigIssue {
  /** The link key or JSON path the user wrote. */
  readonly field: string;
  readonly message: string;
}

/** The outcome of reading a config: always a complete, valid config, plus what was wrong. */
export interface ParsedConfig {
  readonly config: ExperimentConfig;
  readonly issues: readonly ConfigIssue[];
}

/** A deep copy of the defaults that callers may change freely. */
export function defaultConfig(): ExperimentConfig {
  return structuredClone(DEFAULT_CONFIG) as ExperimentConfig;
}

/** Reads the value at a dotted path. */
export function getPath(config: ExperimentConfig, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  return node;
}

/** Writes a value at a dotted path (the path must exist in the config shape). */
export function setPath(config: ExperimentConfig, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = config as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
}

/** Shortens and quotes a user-supplied value for a message. Messages are shown as text, never HTML. */
export function quoteValue(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return `"${s.length > 40 ? `${s.slice(0, 40)}…` : s}"`;
}

/** Checks one value against its field; returns an issue message or null when the value is valid. */
export function checkField(spec: FieldSpec, value: unknown, label: string): string | null {
  const result = v.safeParse(spec.schema, value);
  if (result.success) return null;
  const fallback = spec.key === 'v' ? 'the current format' : `the default ${quoteValue(getPath(defaultConfig(), spec.path))}`;
  return `${label}: got ${quoteValue(value)}, expected ${spec.expects}; using ${fallback}.`;
}

/** Cross-field rules that a per-field check cannot see. Returns issues and fixes the config. */
export function checkConsistency(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (config.model.kind === 'cnn' && config.data.dataset !== 'mnist') {
    issues.push({
      field: 'model',
      message: `model: a CNN needs image data, but dataset is ${quoteValue(config.data.dataset)}; using the MLP instead.`,
    });
    config.model.kind = 'mlp';
  }
  return issues;
}
