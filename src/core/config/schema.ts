/**
 * The experiment config: one versioned, validated object that holds every setting of a run.
 * Reading and writing (URL hash and JSON) are driven by one table of fields, so a field
 * added here is parsed, validated, defaulted and shared in one place.
 */
import * as v from 'valibot';
import { GPU_PROFILES } from '../energy/profile-data';

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

/** Where grid intensity comes from; 'auto' picks from the browser's time zone and locale. */
export const CARBON_SOURCES = ['auto', 'offline', 'uk-carbon-intensity', 'electricity-maps', 'watttime', 'replay'] as const;
export type CarbonSource = (typeof CARBON_SOURCES)[number];
/** 'auto' matches the device from the GPU adapter; 'custom' uses the watts typed in; else a GPU row id. */
export const DEVICE_PROFILE_CHOICES = ['auto', 'custom', ...GPU_PROFILES.map((r) => r.id)] as const;

/** When training runs: off (now, at full speed), against a replayed trace in simulated time, or live. */
export const SCHEDULE_MODES = ['off', 'simulated', 'live'] as const;
export type ScheduleMode = (typeof SCHEDULE_MODES)[number];
/** Scheduling policy ids, as in src/core/schedule/policy.ts (repeated here: config imports no policy code). */
export const SCHEDULE_POLICIES = ['run-now', 'threshold', 'forecast-window', 'throttle', 'oracle'] as const;

/** How exported weights are stored (src/core/compress/manifest.ts). */
export const EXPORT_PRECISIONS = ['float32', 'float16', 'uint8'] as const;
/** What compression does when the run's energy passes its budget. */
export const BUDGET_ACTIONS = ['prune', 'student'] as const;
const ON_OFF = ['off', 'on'] as const;

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
  /** How energy is estimated. Device settings only: nothing here is a secret. */
  energy: {
    /** Power usage effectiveness: 1.0 for a personal device, 1.1-1.6 for a data centre. */
    pue: number;
    /** 'auto', 'custom' or a GPU profile row id (src/core/energy/profile-data.ts). */
    profile: string;
    /** With profile 'custom': the whole device's watts under full load and when idle. */
    customMaxWatts: number;
    customIdleWatts: number;
  };
  /**
   * Where grid carbon intensity comes from. Never holds a credential or a provider address:
   * keys and base URLs are browser settings, so a shared link cannot redirect a user's key.
   */
  carbon: {
    source: CarbonSource;
    /**
     * The region in the source's own terms; '' for its default. offline: ISO alpha-3 country
     * (DEU) or WORLD; uk-carbon-intensity: national, a region id 1-17 or an outward postcode;
     * electricity-maps: a zone (DE, US-CAL-CISO); watttime: a region (CAISO_NORTH); replay: a
     * bundled trace name (us-ciso-2022) or 'upload'.
     */
    region: string;
    /** Replay only: trace time per wall time (1 = real time, 3600 = an hour per second). */
    replaySpeed: number;
  };
  /** Carbon-aware scheduling. */
  schedule: {
    mode: ScheduleMode;
    policy: (typeof SCHEDULE_POLICIES)[number];
    /** Bundled trace to replay (public/traces), e.g. us-ciso-2022. */
    trace: string;
    /** Simulated start in UTC, YYYY-MM-DDTHH:MM. */
    start: string;
    /** Simulated hours per wall-clock second. */
    rate: number;
    /** Hours allowed beyond the job's estimated length: the deadline. */
    slackHours: number;
    /** Threshold policy: a fixed limit in gCO2/kWh, or a percentile of the forecast to the deadline. */
    thresholdKind: 'percentile' | 'absolute';
    /** The percentile (0-100) or the limit in gCO2/kWh, as thresholdKind says. */
    threshold: number;
  };
  /** Compression (issue 5): pruning during training, export precision, distillation, energy budget. */
  compress: {
    /** Magnitude pruning during training on TFMOT's PolynomialDecay schedule (power 3). */
    pruning: 'off' | 'on';
    initialSparsity: number;
    finalSparsity: number;
    /** The schedule's begin and end, in epochs from the start of the run (fractions allowed). */
    beginEpoch: number;
    endEpoch: number;
    /** Steps between mask updates. */
    frequency: number;
    /** How the exported model's weights are stored. */
    precision: (typeof EXPORT_PRECISIONS)[number];
    /** With uint8: at most this many shared nonzero levels per kernel on its grid (src/core/compress/share.ts); 0 is off. */
    sharedLevels: number;
    /** Distil a smaller student from the trained model (Hinton et al. 2015). */
    distill: 'off' | 'on';
    temperature: number;
    /** Weight of the hard-label loss; 1 - alpha goes to the teacher's soft targets. */
    alpha: number;
    /** Hidden units of the student MLP. */
    studentHidden: number[];
    /** Energy budget of the run in Wh (the live estimate); 0 means none. */
    budgetWh: number;
    /** When the budget is passed: prune to `budgetSparsity` at once, or stop and distil the student. */
    onBudget: (typeof BUDGET_ACTIONS)[number];
    budgetSparsity: number;
  };
  /**
   * The multi-objective framework (issue 6): L = alpha * L_accuracy + beta * E + gamma * C during
   * training, as a group-sparsity penalty on hidden neurons scaled by the grid's intensity, with a
   * controller that adapts batch size and learning rate at epoch boundaries and removes neurons
   * the penalty has switched off.
   */
  objective: {
    framework: 'off' | 'on';
    alpha: number;
    beta: number;
    gamma: number;
    /** Penalty coefficient at the reference intensity with beta = gamma = 1. */
    penalty: number;
    /** After this many epochs (fractions allowed) the sizing decision picks the hidden width and batch size (0: never). */
    shrinkAfter: number;
    /** A neuron is removed when its weight norm is below this share of its layer's largest. */
    shrinkBelow: number;
    /** Smallest share of each hidden layer's neurons the sizing decision may keep. */
    minKeep: number;
    /** Reference intensity in gCO2/kWh (0: the first intensity the run sees). */
    refIntensity: number;
    /** Largest batch size the controller may choose. */
    maxBatch: number;
  };
}

/** The default experiment: what `{}` and an empty link mean. */
export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze({
  v: CONFIG_VERSION,
  data: { dataset: 'mnist', url: '', samples: 1000, noise: 0.1, testFraction: 0.2 },
  model: { kind: 'mlp', hidden: [128], activation: 'relu', filters: [8, 16] },
  train: { optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 64, epochs: 2, seed: 42 },
  backend: 'auto',
  energy: { pue: 1, profile: 'auto', customMaxWatts: 0, customIdleWatts: 0 },
  carbon: { source: 'auto', region: '', replaySpeed: 1 },
  schedule: { mode: 'off', policy: 'forecast-window', trace: 'us-ciso-2022', start: '2022-06-15T00:00', rate: 1, slackHours: 24, thresholdKind: 'percentile', threshold: 30 },
  compress: {
    pruning: 'off', initialSparsity: 0, finalSparsity: 0.8, beginEpoch: 0, endEpoch: 1, frequency: 25, precision: 'uint8', sharedLevels: 0,
    distill: 'off', temperature: 4, alpha: 0.1, studentHidden: [32], budgetWh: 0, onBudget: 'prune', budgetSparsity: 0.9,
  },
  objective: { framework: 'off', alpha: 1, beta: 0.25, gamma: 0.25, penalty: 0.002, shrinkAfter: 1, shrinkBelow: 0.3, minKeep: 0.25, refIntensity: 0, maxBatch: 256 },
} satisfies ExperimentConfig);

type Kind = 'number' | 'int' | 'enum' | 'intList' | 'url' | 'text';

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
  v.check((s) => s === '' || /^https?:\/\/[^\\]+$/i.test(s) || isSameOriginPath(s), 'must be empty, an http(s) URL or a path starting with /'),
);

/**
 * A `/path` that stays on the lab's own site. Browsers read `\` as `/` in web addresses, so
 * `/\host/x` would leave it as `//host/x` does; resolving against a stand-in origin catches every such trick.
 */
function isSameOriginPath(s: string): boolean {
  if (!s.startsWith('/') || /[\\\s]/.test(s)) return false;
  try {
    return new URL(s, 'https://lab.invalid/').origin === 'https://lab.invalid';
  } catch {
    return false;
  }
}

/** A `YYYY-MM-DDTHH:MM` time that names a real minute: no 30 February, no 24:00. */
function isRealMinute(t: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(t);
  if (!m) return false;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi;
}

// Letters, digits and a few separators: enough for country codes, zones, postcodes and trace names.
const regionText = v.pipe(v.string(), v.maxLength(64), v.regex(/^[A-Za-z0-9 _.-]*$/, 'letters, digits, spaces, _ . or -'));

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
  // PUE 1.0 is a device with no facility overhead; 3 is above the worst data centres surveyed
  // (Uptime Institute Global Data Center Survey 2023: average 1.58).
  field('pue', 'energy.pue', 'number', 'a number from 1 to 3', num(1, 3)),
  field('device', 'energy.profile', 'enum', `one of ${list(DEVICE_PROFILE_CHOICES)}`, v.picklist(DEVICE_PROFILE_CHOICES)),
  field('maxW', 'energy.customMaxWatts', 'number', 'a number of watts from 0 to 5000', num(0, 5000)),
  field('idleW', 'energy.customIdleWatts', 'number', 'a number of watts from 0 to 5000', num(0, 5000)),
  field('carbon', 'carbon.source', 'enum', `one of ${list(CARBON_SOURCES)}`, v.picklist(CARBON_SOURCES)),
  field('region', 'carbon.region', 'text', 'up to 64 letters, digits, spaces, _ . or -', regionText),
  field('speed', 'carbon.replaySpeed', 'number', 'a number from 1 to 100000', num(1, 100000)),
  field('schedule', 'schedule.mode', 'enum', `one of ${list(SCHEDULE_MODES)}`, v.picklist(SCHEDULE_MODES)),
  field('policy', 'schedule.policy', 'enum', `one of ${list(SCHEDULE_POLICIES)}`, v.picklist(SCHEDULE_POLICIES)),
  field('trace', 'schedule.trace', 'text', 'a bundled trace name such as us-ciso-2022', v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/, 'a trace name'))),
  field('start', 'schedule.start', 'text', 'a real UTC time written YYYY-MM-DDTHH:MM (hours 00-23)', v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/), v.check(isRealMinute, 'a real date and time'))),
  field('rate', 'schedule.rate', 'number', 'a number of simulated hours per second from 0.1 to 24', num(0.1, 24)),
  field('slack', 'schedule.slackHours', 'number', 'a number of hours from 0 to 168', num(0, 168)),
  field('thresholdKind', 'schedule.thresholdKind', 'enum', 'one of percentile, absolute', v.picklist(['percentile', 'absolute'])),
  field('threshold', 'schedule.threshold', 'number', 'a number from 0 to 2000 (a percentile up to 100, or gCO2/kWh)', num(0, 2000)),
  field('prune', 'compress.pruning', 'enum', `one of ${list(ON_OFF)}`, v.picklist(ON_OFF)),
  field('sparsity0', 'compress.initialSparsity', 'number', 'a number from 0 to 0.99', num(0, 0.99)),
  field('sparsity', 'compress.finalSparsity', 'number', 'a number from 0 to 0.99', num(0, 0.99)),
  field('pruneFrom', 'compress.beginEpoch', 'number', 'a number of epochs from 0 to 100', num(0, 100)),
  field('pruneTo', 'compress.endEpoch', 'number', 'a number of epochs from 0 to 100', num(0, 100)),
  field('pruneEvery', 'compress.frequency', 'int', 'a whole number of steps from 1 to 10000', int(1, 10000)),
  field('precision', 'compress.precision', 'enum', `one of ${list(EXPORT_PRECISIONS)}`, v.picklist(EXPORT_PRECISIONS)),
  field('levels', 'compress.sharedLevels', 'int', 'a whole number of shared weight levels from 0 (off) to 255', int(0, 255)),
  field('distill', 'compress.distill', 'enum', `one of ${list(ON_OFF)}`, v.picklist(ON_OFF)),
  // Hinton et al. (2015) used temperatures from 1 to 20; 50 leaves room.
  field('T', 'compress.temperature', 'number', 'a number from 1 to 50', num(1, 50)),
  field('alpha', 'compress.alpha', 'number', 'a number from 0 to 1', num(0, 1)),
  field('student', 'compress.studentHidden', 'intList', 'a list of 0 to 5 layer sizes from 1 to 1024, e.g. 32', intList(1, 1024, 0, 5)),
  field('budgetWh', 'compress.budgetWh', 'number', 'a number of Wh from 0 (no budget) to 100000', num(0, 100000)),
  field('onBudget', 'compress.onBudget', 'enum', `one of ${list(BUDGET_ACTIONS)}`, v.picklist(BUDGET_ACTIONS)),
  field('budgetSparsity', 'compress.budgetSparsity', 'number', 'a number from 0 to 0.99', num(0, 0.99)),
  field('framework', 'objective.framework', 'enum', `one of ${list(ON_OFF)}`, v.picklist(ON_OFF)),
  field('objAlpha', 'objective.alpha', 'number', 'a number from 0 to 10', num(0, 10)),
  field('objBeta', 'objective.beta', 'number', 'a number from 0 to 10', num(0, 10)),
  field('objGamma', 'objective.gamma', 'number', 'a number from 0 to 10', num(0, 10)),
  field('penalty', 'objective.penalty', 'number', 'a number from 0 to 1', num(0, 1)),
  field('shrinkAfter', 'objective.shrinkAfter', 'number', 'a number of epochs from 0 (never) to 100, fractions allowed', num(0, 100)),
  field('shrinkBelow', 'objective.shrinkBelow', 'number', 'a number from 0 to 0.9', num(0, 0.9)),
  field('minKeep', 'objective.minKeep', 'number', 'a share of neurons from 0.05 to 1', num(0.05, 1)),
  field('refIntensity', 'objective.refIntensity', 'number', 'a number of gCO2/kWh from 0 (the first seen) to 2000', num(0, 2000)),
  field('maxBatch', 'objective.maxBatch', 'int', 'a whole number from 1 to 1024', int(1, 1024)),
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
  if (config.schedule.thresholdKind === 'percentile' && config.schedule.threshold > 100) {
    issues.push({ field: 'threshold', message: `threshold: a percentile cannot exceed 100 (got ${config.schedule.threshold}); using 30.` });
    config.schedule.threshold = 30;
  }
  if (config.schedule.mode === 'live' && config.schedule.policy === 'oracle') {
    issues.push({ field: 'policy', message: 'policy: the oracle needs the future and is for evaluation only; a live run uses forecast-window instead.' });
    config.schedule.policy = 'forecast-window';
  }
  if (config.energy.profile === 'custom' && !(config.energy.customMaxWatts > 0)) {
    issues.push({
      field: 'device',
      message: 'device: "custom" needs the device\'s watts under load (maxW above 0); matching the device automatically instead.',
    });
    config.energy.profile = 'auto';
  }
  if (config.energy.customIdleWatts > config.energy.customMaxWatts) {
    issues.push({ field: 'idleW', message: `idleW: idle watts cannot exceed the watts under load; using ${config.energy.customMaxWatts}.` });
    config.energy.customIdleWatts = config.energy.customMaxWatts;
  }
  issues.push(...checkData(config));
  const c = config.compress;
  if (c.initialSparsity > c.finalSparsity) {
    issues.push({ field: 'sparsity0', message: `sparsity0: the initial sparsity cannot exceed the final one (${c.finalSparsity}); using ${c.finalSparsity}.` });
    c.initialSparsity = c.finalSparsity;
  }
  if (c.endEpoch < c.beginEpoch) {
    issues.push({ field: 'pruneTo', message: `pruneTo: pruning cannot end (epoch ${c.endEpoch}) before it begins (epoch ${c.beginEpoch}); using ${c.beginEpoch}.` });
    c.endEpoch = c.beginEpoch;
  }
  return issues;
}

/** Training examples of a synthetic dataset after the seeded split (the split `splitDataset` makes). */
function syntheticTrainExamples(config: ExperimentConfig): number {
  const n = config.data.samples;
  return n - Math.min(n - 1, Math.max(1, Math.round(n * config.data.testFraction)));
}

/** Data settings that would otherwise be ignored or clamped without a word. */
function checkData(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (config.data.dataset !== 'mnist' && config.data.url !== '') {
    issues.push({ field: 'dataUrl', message: `dataUrl: a dataset file is only read with dataset=mnist (the lab's image format); with ${quoteValue(config.data.dataset)} the points are generated, so the file is not used and dataUrl is cleared.` });
    config.data.url = '';
  }
  if (config.data.dataset !== 'mnist') {
    const train = syntheticTrainExamples(config);
    if (config.train.batchSize > train) {
      issues.push({ field: 'batch', message: `batch: ${config.train.batchSize} is more than the ${train} training examples of this dataset (samples ${config.data.samples}, test fraction ${config.data.testFraction}); using ${train}, one batch per epoch.` });
      config.train.batchSize = train;
    }
  }
  return issues;
}
