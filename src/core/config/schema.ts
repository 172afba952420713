/**
 * The experiment config: one versioned, validated object that holds every setting of a run.
 * Reading and writing (URL hash and JSON) are driven by one table of fields, so a field
 * added here is parsed, validated, defaulted and shared in one place.
 */
import * as v from 'valibot';
import { GPU_PROFILES } from '../energy/profile-data';
import { testExampleCount } from '../data/dataset';

/** Version of the config format. A link or file with another version is reported, not guessed at. */
export const CONFIG_VERSION = 1;

export const DATASETS = ['mnist', 'spiral', 'circles', 'xor', 'blobs', 'table', 'images'] as const;
/** The generated 2-D point sets. */
export const SYNTHETIC_DATASETS = ['spiral', 'circles', 'xor', 'blobs'] as const;
/** Your own data (issue 15): a CSV/TSV table, or images in class folders, kept in this browser. */
export const OWN_DATASETS = ['table', 'images'] as const;
/** The example size own images are resized to: 28x28 grayscale (MNIST-like) or 32x32 RGB (CIFAR-like). */
export const IMAGE_SIZES = ['28-gray', '32-rgb'] as const;
export const MODEL_KINDS = ['mlp', 'cnn'] as const;
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type DatasetId = (typeof DATASETS)[number];
export type OwnDatasetId = (typeof OWN_DATASETS)[number];
export type ImageSize = (typeof IMAGE_SIZES)[number];
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
    /**
     * Own data only (table, images): what identifies it, never the data itself. The file's
     * name, its SHA-256 (hex; the bytes are kept in this browser's IndexedDB under it), the
     * shape of one example and the class names, as the file gave them when it was loaded.
     */
    name: string;
    fingerprint: string;
    shape: number[];
    classes: string[];
    /** Table only: the label column ('' = the last column) and the feature columns ([] = all others). */
    label: string;
    features: string[];
    /** Images only: the size examples are resized to. */
    imageSize: ImageSize;
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
  data: { dataset: 'mnist', url: '', samples: 1000, noise: 0.1, testFraction: 0.2, name: '', fingerprint: '', shape: [], classes: [], label: '', features: [], imageSize: '28-gray' },
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

type Kind = 'number' | 'int' | 'enum' | 'intList' | 'url' | 'text' | 'textList';

/** Where a field is edited: the settings form renders data to objective; the others have their own panels. */
export type FieldSection = 'meta' | 'data' | 'model' | 'train' | 'compress' | 'objective' | 'energy' | 'carbon' | 'schedule';

/** The sections the settings form renders, in order, with their titles. */
export const FORM_SECTIONS: readonly { readonly id: FieldSection; readonly title: string }[] = [
  { id: 'data', title: 'Data' },
  { id: 'model', title: 'Model' },
  { id: 'train', title: 'Training' },
  { id: 'compress', title: 'Compression' },
  { id: 'objective', title: 'Objective: L = α·accuracy + β·energy + γ·carbon' },
];

/** One setting: its short key in links, its path in the config object, how to check it and how to show it. */
export interface FieldSpec {
  /** Key used in the URL hash. */
  readonly key: string;
  /** Dotted path in the JSON config. */
  readonly path: string;
  readonly kind: Kind;
  /** Plain-language description of a valid value, used in error messages. */
  readonly expects: string;
  readonly schema: v.GenericSchema;
  /** The field's name in forms and form messages. */
  readonly label: string;
  readonly section: FieldSection;
  /** The valid values of an enum field, in display order; empty for other kinds. */
  readonly options: readonly string[];
  /** Whether the field matters for this config; a field that does not is kept but not shown. */
  readonly appliesWhen: (config: ExperimentConfig) => boolean;
  /** What an empty text box means, where that needs saying. */
  readonly placeholder?: string;
  /** What the value will cost, shown under the field where it says something; null when it does not. */
  readonly note?: (config: ExperimentConfig) => string | null;
}

const num = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));
const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const intList = (min: number, max: number, minLen: number, maxLen: number) =>
  v.pipe(v.array(int(min, max)), v.minLength(minLen), v.maxLength(maxLen));

/** The origin a site path is resolved against to see whether it stays on the site. */
const SITE = 'https://site.invalid';

/**
 * Whether a dataset address is one a link may hold: empty, an explicit http(s) URL, or a path on
 * this site. Browsers read `\` as `/` and drop tabs and newlines, so `/\host/x` or `/<tab>/host`
 * would leave the site: control characters are refused everywhere and a path must resolve to
 * this site's origin. javascript:, data: and file: addresses are refused.
 */
export function isAllowedDatasetUrl(s: string): boolean {
  if (s === '') return true;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(s)) return false;
  if (s.includes('\\')) return false;
  if (/^https?:\/\//i.test(s)) return URL.canParse(s);
  if (!s.startsWith('/') || /\s/.test(s)) return false;
  return URL.canParse(s, SITE) && new URL(s, SITE).origin === SITE;
}

const datasetUrl = v.pipe(
  v.string(),
  v.maxLength(2000),
  v.check(isAllowedDatasetUrl, 'must be empty, an http(s) URL or a path on this site'),
);

/** Whether `text` (YYYY-MM-DDTHH:MM) names a real UTC minute: no 30 February, no 24:00. */
export function isRealUtcMinute(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// Letters, digits and a few separators: enough for country codes, zones, postcodes and trace names.
const regionText = v.pipe(v.string(), v.maxLength(64), v.regex(/^[A-Za-z0-9 _.-]*$/, 'letters, digits, spaces, _ . or -'));

interface FieldExtra {
  readonly appliesWhen?: (config: ExperimentConfig) => boolean;
  readonly placeholder?: string;
  readonly note?: (config: ExperimentConfig) => string | null;
}

const always = () => true;

const field = (key: string, path: string, label: string, section: FieldSection, kind: Kind, expects: string, schema: v.GenericSchema, extra: FieldExtra = {}): FieldSpec => ({
  key,
  path,
  label,
  section,
  kind,
  expects,
  schema,
  options: [],
  appliesWhen: extra.appliesWhen ?? always,
  ...(extra.placeholder === undefined ? {} : { placeholder: extra.placeholder }),
  ...(extra.note === undefined ? {} : { note: extra.note }),
});

const list = (xs: readonly string[]) => xs.join(', ');

/** An enum field: its options are the picklist, and its expectation names them. */
const choice = <T extends string>(key: string, path: string, label: string, section: FieldSection, options: readonly [T, ...T[]], extra: FieldExtra = {}): FieldSpec => ({
  ...field(key, path, label, section, 'enum', `one of ${list(options)}`, v.picklist(options), extra),
  options,
});

/**
 * What pruning while training costs, as measured in this repository (README, "Weight sharing and
 * the 40x target"): one headless wasm session on the MNIST MLP, each link run in turn.
 */
export const PRUNING_COST_NOTE =
  'Costs accuracy: on MNIST, 90% sparsity pruned over epochs 0-1 of 3 reached 87.1% against 92.5% for the dense model trained the same 3 epochs (5.5 points less); ' +
  'pruning to epoch 2 reached 89.2% (3.3 points less). Measured on wasm; your run will differ.';

const pruningCost = (c: ExperimentConfig) => (c.compress.pruning === 'on' ? PRUNING_COST_NOTE : null);

const synthetic = (c: ExperimentConfig) => isSynthetic(c.data.dataset);
const ownData = (c: ExperimentConfig) => isOwnData(c.data.dataset);

/** Whether a dataset is one of the generated 2-D point sets. */
export function isSynthetic(dataset: DatasetId): dataset is (typeof SYNTHETIC_DATASETS)[number] {
  return (SYNTHETIC_DATASETS as readonly string[]).includes(dataset);
}

/** Whether a dataset is the user's own (a table or images kept in this browser). */
export function isOwnData(dataset: DatasetId): dataset is OwnDatasetId {
  return (OWN_DATASETS as readonly string[]).includes(dataset);
}

/** Whether a dataset holds images (so a CNN can train on it). */
export const isImageData = (dataset: DatasetId): boolean => dataset === 'mnist' || dataset === 'images';

// A name or column header from a user's file: any printable text, no control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const plainText = (max: number) => v.pipe(v.string(), v.maxLength(max), v.regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters'));
const textList = (maxItems: number) => v.pipe(v.array(plainText(200)), v.maxLength(maxItems));
const sha256Text = v.pipe(v.string(), v.regex(/^([0-9a-f]{64})?$/, 'a SHA-256 in hex'));
const pruning = (c: ExperimentConfig) => c.compress.pruning === 'on';
const overBudget = (c: ExperimentConfig) => c.compress.budgetWh > 0;
const framework = (c: ExperimentConfig) => c.objective.framework === 'on';
const ifPruning = { appliesWhen: pruning };
const ifFramework = { appliesWhen: framework };

/** Every setting of the experiment, in link order. The single source of truth for parsing, sharing and the form. */
export const FIELDS: readonly FieldSpec[] = [
  field('v', 'v', 'Config version', 'meta', 'int', `the config version ${CONFIG_VERSION}`, v.literal(CONFIG_VERSION)),
  choice('dataset', 'data.dataset', 'Dataset', 'data', DATASETS),
  field('dataUrl', 'data.url', 'Dataset URL (MNIST format)', 'data', 'url', 'an http(s) URL or a /path on this site of a dataset file (empty for the built-in MNIST)', datasetUrl, {
    appliesWhen: (c) => c.data.dataset === 'mnist',
    placeholder: 'built-in MNIST (10,000 digits)',
  }),
  field('dataName', 'data.name', 'Data file', 'meta', 'text', 'a file name of up to 200 characters', plainText(200), { appliesWhen: ownData }),
  field('fingerprint', 'data.fingerprint', 'Data fingerprint (SHA-256)', 'meta', 'text', 'the 64 hex digits of a SHA-256, or empty', sha256Text, { appliesWhen: ownData }),
  field('shape', 'data.shape', 'Example shape', 'meta', 'intList', 'a list of 0 to 3 sizes from 1 to 100000, e.g. 28,28,1', intList(1, 100000, 0, 3), { appliesWhen: ownData }),
  field('classes', 'data.classes', 'Class names', 'meta', 'textList', 'a list of up to 100 class names', textList(100), { appliesWhen: ownData }),
  field('label', 'data.label', 'Label column', 'data', 'text', 'a column name of up to 200 characters (empty for the last column)', plainText(200), {
    appliesWhen: (c) => c.data.dataset === 'table',
    placeholder: 'the last column',
  }),
  field('features', 'data.features', 'Feature columns', 'meta', 'textList', 'a list of up to 1000 column names', textList(1000), { appliesWhen: (c) => c.data.dataset === 'table' }),
  choice('imageSize', 'data.imageSize', 'Image size', 'data', IMAGE_SIZES, { appliesWhen: (c) => c.data.dataset === 'images' }),
  field('samples', 'data.samples', 'Points', 'data', 'int', 'a whole number from 100 to 20000', int(100, 20000), { appliesWhen: synthetic }),
  field('noise', 'data.noise', 'Noise', 'data', 'number', 'a number from 0 to 1', num(0, 1), { appliesWhen: synthetic }),
  field('testFraction', 'data.testFraction', 'Test share', 'data', 'number', 'a number from 0.05 to 0.5', num(0.05, 0.5)),
  choice('model', 'model.kind', 'Model', 'model', MODEL_KINDS, { appliesWhen: (c) => isImageData(c.data.dataset) || c.model.kind === 'cnn' }),
  field('hidden', 'model.hidden', 'Hidden units', 'model', 'intList', 'a list of 0 to 5 layer sizes from 1 to 1024, e.g. 128,64', intList(1, 1024, 0, 5)),
  choice('activation', 'model.activation', 'Activation', 'model', ACTIVATIONS),
  field('filters', 'model.filters', 'Conv filters', 'model', 'intList', 'a list of 1 to 4 filter counts from 1 to 128, e.g. 8,16', intList(1, 128, 1, 4), {
    appliesWhen: (c) => c.model.kind === 'cnn',
  }),
  choice('optimizer', 'train.optimizer', 'Optimizer', 'train', OPTIMIZERS),
  field('lr', 'train.learningRate', 'Learning rate', 'train', 'number', 'a number from 0.00001 to 1', num(1e-5, 1)),
  field('momentum', 'train.momentum', 'Momentum', 'train', 'number', 'a number from 0 to 0.999', num(0, 0.999), { appliesWhen: (c) => c.train.optimizer === 'momentum' }),
  field('batch', 'train.batchSize', 'Batch size', 'train', 'int', 'a whole number from 1 to 1024', int(1, 1024)),
  field('epochs', 'train.epochs', 'Epochs', 'train', 'int', 'a whole number from 1 to 100', int(1, 100)),
  // tfjs treats seed 0 as "unseeded" (seed ? seed : Math.random()), so 0 is not allowed.
  field('seed', 'train.seed', 'Seed', 'train', 'int', 'a whole number from 1 to 2147483647', int(1, 2147483647)),
  choice('backend', 'backend', 'Backend', 'train', BACKEND_CHOICES),
  // PUE 1.0 is a device with no facility overhead; 3 is above the worst data centres surveyed
  // (Uptime Institute Global Data Center Survey 2023: average 1.58).
  field('pue', 'energy.pue', 'PUE', 'energy', 'number', 'a number from 1 to 3', num(1, 3)),
  choice('device', 'energy.profile', 'Device profile', 'energy', DEVICE_PROFILE_CHOICES),
  field('maxW', 'energy.customMaxWatts', 'Watts under load', 'energy', 'number', 'a number of watts from 0 to 5000', num(0, 5000), { appliesWhen: (c) => c.energy.profile === 'custom' }),
  field('idleW', 'energy.customIdleWatts', 'Watts when idle', 'energy', 'number', 'a number of watts from 0 to 5000', num(0, 5000), { appliesWhen: (c) => c.energy.profile === 'custom' }),
  choice('carbon', 'carbon.source', 'Intensity source', 'carbon', CARBON_SOURCES),
  field('region', 'carbon.region', 'Region', 'carbon', 'text', 'up to 64 letters, digits, spaces, _ . or -', regionText),
  field('speed', 'carbon.replaySpeed', 'Replay speed', 'carbon', 'number', 'a number from 1 to 100000', num(1, 100000), { appliesWhen: (c) => c.carbon.source === 'replay' }),
  choice('schedule', 'schedule.mode', 'Schedule', 'schedule', SCHEDULE_MODES),
  choice('policy', 'schedule.policy', 'Policy', 'schedule', SCHEDULE_POLICIES),
  field('trace', 'schedule.trace', 'Trace', 'schedule', 'text', 'a bundled trace name such as us-ciso-2022', v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/, 'a trace name'))),
  field('start', 'schedule.start', 'Simulated start (UTC)', 'schedule', 'text', 'a real UTC time written YYYY-MM-DDTHH:MM (hours 00-23)', v.pipe(v.string(), v.check(isRealUtcMinute, 'a real date and time'))),
  field('rate', 'schedule.rate', 'Simulated hours per second', 'schedule', 'number', 'a number of simulated hours per second from 0.1 to 24', num(0.1, 24)),
  field('slack', 'schedule.slackHours', 'Slack (hours)', 'schedule', 'number', 'a number of hours from 0 to 168', num(0, 168)),
  choice('thresholdKind', 'schedule.thresholdKind', 'Threshold kind', 'schedule', ['percentile', 'absolute']),
  field('threshold', 'schedule.threshold', 'Threshold', 'schedule', 'number', 'a number from 0 to 2000 (a percentile up to 100, or gCO2/kWh)', num(0, 2000)),
  choice('prune', 'compress.pruning', 'Prune while training', 'compress', ON_OFF, { note: pruningCost }),
  field('sparsity0', 'compress.initialSparsity', 'Initial sparsity', 'compress', 'number', 'a number from 0 to 0.99', num(0, 0.99), ifPruning),
  field('sparsity', 'compress.finalSparsity', 'Final sparsity', 'compress', 'number', 'a number from 0 to 0.99', num(0, 0.99), ifPruning),
  field('pruneFrom', 'compress.beginEpoch', 'Pruning from epoch', 'compress', 'number', 'a number of epochs from 0 to 100', num(0, 100), ifPruning),
  field('pruneTo', 'compress.endEpoch', 'Pruning to epoch', 'compress', 'number', 'a number of epochs from 0 to 100', num(0, 100), ifPruning),
  field('pruneEvery', 'compress.frequency', 'Mask update every (steps)', 'compress', 'int', 'a whole number of steps from 1 to 10000', int(1, 10000), ifPruning),
  choice('precision', 'compress.precision', 'Export precision', 'compress', EXPORT_PRECISIONS),
  field('levels', 'compress.sharedLevels', 'Shared weight levels (0 = off)', 'compress', 'int', 'a whole number of shared weight levels from 0 (off) to 255', int(0, 255)),
  choice('distill', 'compress.distill', 'Distil a student', 'compress', ON_OFF),
  // Hinton et al. (2015) used temperatures from 1 to 20; 50 leaves room.
  field('T', 'compress.temperature', 'Temperature T', 'compress', 'number', 'a number from 1 to 50', num(1, 50), { appliesWhen: (c) => c.compress.distill === 'on' || (overBudget(c) && c.compress.onBudget === 'student') }),
  field('alpha', 'compress.alpha', 'Alpha (hard-label weight)', 'compress', 'number', 'a number from 0 to 1', num(0, 1), { appliesWhen: (c) => c.compress.distill === 'on' || (overBudget(c) && c.compress.onBudget === 'student') }),
  field('student', 'compress.studentHidden', 'Student hidden units', 'compress', 'intList', 'a list of 0 to 5 layer sizes from 1 to 1024, e.g. 32', intList(1, 1024, 0, 5), {
    appliesWhen: (c) => c.compress.distill === 'on' || c.compress.onBudget === 'student',
  }),
  field('budgetWh', 'compress.budgetWh', 'Energy budget (Wh, 0 = none)', 'compress', 'number', 'a number of Wh from 0 (no budget) to 100000', num(0, 100000)),
  choice('onBudget', 'compress.onBudget', 'Over budget', 'compress', BUDGET_ACTIONS, { appliesWhen: overBudget }),
  field('budgetSparsity', 'compress.budgetSparsity', 'Sparsity over budget', 'compress', 'number', 'a number from 0 to 0.99', num(0, 0.99), { appliesWhen: (c) => overBudget(c) && c.compress.onBudget === 'prune' }),
  choice('framework', 'objective.framework', 'Multi-objective framework', 'objective', ON_OFF),
  field('objAlpha', 'objective.alpha', 'α (accuracy weight)', 'objective', 'number', 'a number from 0 to 10', num(0, 10), ifFramework),
  field('objBeta', 'objective.beta', 'β (energy weight)', 'objective', 'number', 'a number from 0 to 10', num(0, 10), ifFramework),
  field('objGamma', 'objective.gamma', 'γ (carbon weight)', 'objective', 'number', 'a number from 0 to 10', num(0, 10), ifFramework),
  field('penalty', 'objective.penalty', 'Compute penalty strength', 'objective', 'number', 'a number from 0 to 1', num(0, 1), ifFramework),
  field('shrinkAfter', 'objective.shrinkAfter', 'Remove idle neurons after epoch', 'objective', 'number', 'a number of epochs from 0 (never) to 100, fractions allowed', num(0, 100), ifFramework),
  field('shrinkBelow', 'objective.shrinkBelow', 'Idle below (share of largest)', 'objective', 'number', 'a number from 0 to 0.9', num(0, 0.9), ifFramework),
  field('minKeep', 'objective.minKeep', 'Keep at least (share of neurons)', 'objective', 'number', 'a share of neurons from 0.05 to 1', num(0.05, 1), ifFramework),
  field('refIntensity', 'objective.refIntensity', 'Reference gCO2/kWh (0 = first seen)', 'objective', 'number', 'a number of gCO2/kWh from 0 (the first seen) to 2000', num(0, 2000), ifFramework),
  field('maxBatch', 'objective.maxBatch', 'Largest batch size', 'objective', 'int', 'a whole number from 1 to 1024', int(1, 1024), ifFramework),
];

const FIELDS_BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

/** The field with this link key, if any. */
export function fieldByKey(key: string): FieldSpec | undefined {
  return FIELDS_BY_KEY.get(key);
}

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

/** The examples a synthetic dataset trains on: its points less the test share (as `splitIndices` splits them). */
export function syntheticTrainExamples(config: ExperimentConfig): number {
  return config.data.samples - testExampleCount(config.data.samples, config.data.testFraction);
}

/**
 * A rule between fields that a per-field check cannot see. `field` is the link key of the field
 * the fix changes; `problem` says what is wrong, `fix` changes the config and says what is used now.
 */
interface ConsistencyRule {
  readonly field: string;
  readonly broken: (c: ExperimentConfig) => boolean;
  readonly problem: (c: ExperimentConfig) => string;
  readonly fix: (c: ExperimentConfig) => string;
}

const RULES: readonly ConsistencyRule[] = [
  {
    field: 'model',
    broken: (c) => c.model.kind === 'cnn' && !isImageData(c.data.dataset),
    problem: (c) => `a CNN needs image data, but dataset is ${quoteValue(c.data.dataset)}`,
    fix: (c) => ((c.model.kind = 'mlp'), 'using the MLP instead'),
  },
  {
    field: 'dataUrl',
    broken: (c) => c.data.url !== '' && c.data.dataset !== 'mnist',
    problem: (c) => `a dataset file is only read with dataset=mnist (the lab's image format); with ${quoteValue(c.data.dataset)} ${isOwnData(c.data.dataset) ? 'your own file is read' : 'the points are generated'}`,
    fix: (c) => ((c.data.url = ''), 'the file is not used and dataUrl is cleared'),
  },
  {
    field: 'batch',
    broken: (c) => synthetic(c) && c.train.batchSize > syntheticTrainExamples(c),
    problem: (c) =>
      `${c.train.batchSize} is more than the ${syntheticTrainExamples(c)} training examples of this dataset (samples ${c.data.samples}, test fraction ${c.data.testFraction})`,
    fix: (c) => ((c.train.batchSize = syntheticTrainExamples(c)), `using ${c.train.batchSize}, one batch per epoch`),
  },
  {
    field: 'threshold',
    broken: (c) => c.schedule.thresholdKind === 'percentile' && c.schedule.threshold > 100,
    problem: (c) => `a percentile cannot exceed 100 (got ${c.schedule.threshold})`,
    fix: (c) => ((c.schedule.threshold = 30), 'using 30'),
  },
  {
    field: 'policy',
    broken: (c) => c.schedule.mode === 'live' && c.schedule.policy === 'oracle',
    problem: () => 'the oracle needs the future and is for evaluation only',
    fix: (c) => ((c.schedule.policy = 'forecast-window'), 'a live run uses forecast-window instead'),
  },
  {
    field: 'device',
    broken: (c) => c.energy.profile === 'custom' && !(c.energy.customMaxWatts > 0),
    problem: () => '"custom" needs the device\'s watts under load (maxW above 0)',
    fix: (c) => ((c.energy.profile = 'auto'), 'matching the device automatically instead'),
  },
  {
    field: 'idleW',
    broken: (c) => c.energy.customIdleWatts > c.energy.customMaxWatts,
    problem: () => 'idle watts cannot exceed the watts under load',
    fix: (c) => ((c.energy.customIdleWatts = c.energy.customMaxWatts), `using ${c.energy.customMaxWatts}`),
  },
  {
    field: 'sparsity0',
    broken: (c) => c.compress.initialSparsity > c.compress.finalSparsity,
    problem: (c) => `the initial sparsity cannot exceed the final one (${c.compress.finalSparsity})`,
    fix: (c) => ((c.compress.initialSparsity = c.compress.finalSparsity), `using ${c.compress.finalSparsity}`),
  },
  {
    field: 'pruneTo',
    broken: (c) => c.compress.endEpoch < c.compress.beginEpoch,
    problem: (c) => `pruning cannot end (epoch ${c.compress.endEpoch}) before it begins (epoch ${c.compress.beginEpoch})`,
    fix: (c) => ((c.compress.endEpoch = c.compress.beginEpoch), `using ${c.compress.beginEpoch}`),
  },
];

/**
 * Cross-field rules that a per-field check cannot see. Fixes the config and returns one issue
 * per rule broken, naming each field by `name` (its link key unless told otherwise).
 */
export function checkConsistency(config: ExperimentConfig, name: (key: string) => string = (key) => key): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const rule of RULES) {
    if (!rule.broken(config)) continue;
    const problem = rule.problem(config);
    issues.push({ field: rule.field, message: `${name(rule.field)}: ${problem}; ${rule.fix(config)}.` });
  }
  return issues;
}

/** What became of an edit made in a form. */
export type FieldEdit =
  | { readonly ok: true; readonly notices: readonly ConfigIssue[] }
  | { readonly ok: false; readonly error: string };

const labelOf = (key: string) => fieldByKey(key)?.label ?? key;

/**
 * Applies a form edit: a value of `spec` (already turned from text) to `config`, with every
 * check a link gets. A value that fails its field, or that a cross-field rule would undo, is
 * refused and the config is left alone. Otherwise it is set, and other fields it conflicts with
 * are fixed and named in `notices` (so a CNN becomes the MLP when a 2-D dataset is chosen).
 */
export function applyFieldEdit(config: ExperimentConfig, spec: FieldSpec, value: unknown): FieldEdit {
  if (!v.safeParse(spec.schema, value).success) return { ok: false, error: `Expected ${spec.expects}.` };
  // A plain copy (the config may be a UI framework's proxy): every value in it is JSON.
  const trial = JSON.parse(JSON.stringify(config)) as ExperimentConfig;
  setPath(trial, spec.path, value);
  const own = RULES.find((rule) => rule.field === spec.key && rule.broken(trial));
  if (own) return { ok: false, error: `${spec.label}: ${own.problem(trial)}; not applied.` };
  setPath(config, spec.path, value);
  return { ok: true, notices: checkConsistency(config, labelOf) };
}
