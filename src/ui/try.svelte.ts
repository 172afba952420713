/**
 * The Try panel's state: after a run, classify one input (a drawn digit, an uploaded image, a
 * typed row or a test example) with the trained model or its export, and show what it gave and
 * cost. Every input becomes one Float32Array of the model's input shape before it is sent: a new
 * kind of data plugs in by producing that array and calling `classify`.
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { DeviceProfile } from '../core/energy/profile-types';
import { toExample } from '../core/images/pixels';
import { digitFromInk } from '../core/images/digit';
import type { DataSummary, RunSummary } from '../core/train/types';
import { encodeRow, type RowEncoding } from '../core/tabular/encode';
import { describeTableRow, digitFromImage, inputKind, parseRow, parseTableRow, type TryInputKind } from '../core/try/input';
import type { Prediction, TryModelChoice } from '../../workers/contract';
import { isCancellation, type WorkerBridge } from './bridge';
import { classLabels } from './compression.svelte';

/** What the Try panel needs from the Lab. */
export interface TryHost {
  readonly worker: Pick<WorkerBridge, 'predict' | 'testExample'>;
  /** The finished run whose model is tried, or null before one and while one runs. */
  run(): { readonly summary: RunSummary; readonly config: ExperimentConfig; readonly data: DataSummary } | null;
  /** The device profile and PUE of the energy estimate; null before a run chose one. */
  device(): { readonly profile: DeviceProfile; readonly pue: number } | null;
  /** How the finished run's table rows were encoded (its training statistics); null when it did not train on a table. */
  table(): RowEncoding | null;
  /** The export zip built last and what it is ("trained model, uint8"), or null. */
  exported(): { readonly zip: ArrayBuffer; readonly label: string } | null;
}

/** One classified input and the run whose model classified it. */
export interface TryResult {
  readonly prediction: Prediction;
  /** What was classified, in words: "your drawing", "test example 12". */
  readonly what: string;
  /** The input as sent (the preview draws it). */
  readonly input: Float32Array;
  /** The true class of a test example; null for the user's own input. */
  readonly label: number | null;
  readonly run: RunSummary;
}

/** Why a table row cannot be typed: raw numbers would not be encoded as training encoded them. */
export const TABLE_MISSING =
  'The table this model trained on is no longer loaded with the run\'s settings (label, features, split), so a typed row cannot be encoded as training encoded it; nothing was classified. Use a test row, or set the run\'s settings again.';

export class TryModel {
  /** Which model the user chose; the export applies only while one exists. */
  choice = $state<TryModelChoice>('trained');
  result = $state.raw<TryResult | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  private nextTest = 0;
  /** Bumped by every classify: an older answer arriving late is dropped. */
  private ticket = 0;

  constructor(private readonly host: TryHost) {}

  readonly run = $derived.by(() => this.host.run());
  readonly kind: TryInputKind | null = $derived(this.run ? inputKind(this.run.data.inputShape, this.run.config.data.dataset) : null);
  readonly labels: readonly string[] = $derived(this.run ? classLabels(this.run.config, this.run.data.numClasses) : []);
  /** The run's table encoding: rows are typed by column name and encoded as training encoded them. */
  readonly table: RowEncoding | null = $derived.by(() => (this.run ? this.host.table() : null));
  /** The run trained on a table whose encoding is not at hand (other settings were loaded since): rows cannot be typed. */
  readonly tableMissing: boolean = $derived(this.run?.config.data.dataset === 'table' && this.table === null);
  /** Names of a row's fields: x and y for the 2-D sets, the feature columns of a table. */
  readonly fieldNames: readonly string[] = $derived.by(() => {
    if (this.table) return this.table.features.map((f) => f.name);
    const n = this.run?.data.inputShape.reduce((a, b) => a * b, 1) ?? 0;
    return n === 2 ? ['x', 'y'] : Array.from({ length: n }, (_, i) => `feature ${i + 1}`);
  });
  readonly exportLabel = $derived.by(() => this.host.exported()?.label ?? null);
  /** The model that runs: the export only when chosen and one exists. */
  readonly model: TryModelChoice = $derived(this.choice === 'export' && this.exportLabel !== null ? 'export' : 'trained');
  /** The last result, while its run is still the one shown. */
  readonly shown = $derived(this.result && this.run && this.result.run === this.run.summary ? this.result : null);

  /**
   * Classifies one input of the model's shape. `what` names it for the page; `label` is its true
   * class when known. A bad input or a worker error sets `error`; the last result stays.
   */
  async classify(input: Float32Array, what: string, label: number | null = null): Promise<void> {
    const run = this.run;
    if (!run) {
      this.error = 'There is no trained model yet: train one first, then try it here.';
      return;
    }
    const ticket = ++this.ticket;
    const model = this.model;
    const exported = model === 'export' ? this.host.exported() : null;
    this.busy = true;
    this.error = null;
    try {
      const prediction = await this.host.worker.predict({ input, model, device: this.host.device(), ...(exported ? { exportZip: exported.zip } : {}) });
      if (ticket === this.ticket) this.result = { prediction, what, input, label, run: run.summary };
    } catch (e) {
      if (ticket === this.ticket && !isCancellation(e)) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (ticket === this.ticket) this.busy = false;
    }
  }

  /** Classifies a drawing: `ink` holds one value in [0, 1] per canvas pixel. */
  classifyInk(ink: Float32Array, width: number, height: number): Promise<void> {
    const digit = digitFromInk(ink, width, height);
    if (!digit) {
      this.error = 'The canvas is empty: draw a digit first.';
      return Promise.resolve();
    }
    return this.classify(digit, 'your drawing');
  }

  /** Classifies a typed row, one text per field. */
  classifyRow(fields: readonly string[]): Promise<void> {
    if (this.tableMissing) {
      this.error = TABLE_MISSING;
      return Promise.resolve();
    }
    const row = parseRow(fields, this.fieldNames);
    if ('error' in row) {
      this.error = row.error;
      return Promise.resolve();
    }
    // float32 holds 0.6 as 0.6000000238: six significant digits say what was typed.
    const typed = Array.from(row.values, (v) => Number(v.toPrecision(6))).join(', ');
    return this.classify(row.values, `the ${fields.length === 2 ? 'point' : 'row'} (${typed})`);
  }

  /**
   * Classifies a table row typed by column name, one field per feature column (null: a number
   * field the browser could not read). Empty fields are filled in as training filled them.
   */
  classifyTableRow(fields: readonly (string | null)[]): Promise<void> {
    const table = this.table;
    if (!table) {
      this.error = this.tableMissing ? TABLE_MISSING : 'This model was not trained on a table; nothing was classified.';
      return Promise.resolve();
    }
    const row = parseTableRow(fields, table);
    if ('error' in row) {
      this.error = row.error;
      return Promise.resolve();
    }
    return this.classify(encodeRow(table, row.values), `the row (${describeTableRow(row.values, table)})`);
  }

  /** Classifies a decoded image: as an MNIST digit (centred and scaled), or resized to the model's image shape. */
  classifyImage(rgba: Uint8ClampedArray, width: number, height: number, name: string): Promise<void> {
    const shape = this.run?.data.inputShape ?? [];
    let input: Float32Array | null;
    if (this.kind === 'digit') input = digitFromImage(rgba, width, height);
    else if (this.kind === 'image' && (shape[2] === 1 || shape[2] === 3) && shape[0] === shape[1]) input = toExample(rgba, width, height, { size: shape[0] as number, channels: shape[2] });
    else {
      this.error = `This model takes rows of numbers (shape [${shape.join(', ')}]), not images; ${name} was not classified.`;
      return Promise.resolve();
    }
    if (!input) {
      this.error = `${name} looks blank: no strokes stand out from its background, so nothing was classified.`;
      return Promise.resolve();
    }
    return this.classify(input, name);
  }

  /** Classifies the next example of the run's test split (the keyboard's way to try the model). */
  async classifyTestExample(): Promise<void> {
    if (!this.run) {
      this.error = 'There is no trained model yet: train one first, then try it here.';
      return;
    }
    try {
      const example = await this.host.worker.testExample(this.nextTest++);
      await this.classify(new Float32Array(example.input), `test example ${example.index + 1} of ${example.count}`, example.label);
    } catch (e) {
      if (!isCancellation(e)) this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** Switches between the trained model and the export, and classifies the last input again with it. */
  async choose(choice: TryModelChoice): Promise<void> {
    this.choice = choice;
    const last = this.shown;
    if (last) await this.classify(last.input, last.what, last.label);
  }
}
