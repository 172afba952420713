/**
 * The Try panel's inputs, pure: checking one example against the model's input shape, reading a
 * typed row, the ink of an uploaded digit photo, and the top class of a prediction. The page and
 * the worker share these; nothing here touches the DOM or tfjs.
 */
import { digitFromInk, inkFromRgba } from '../images/digit';
import { typicalRow, type FeatureValue, type RowEncoding } from '../tabular/encode';

/** What kind of input a model's input shape asks for on the page. */
export type TryInputKind = 'digit' | 'image' | 'row';

/** Number of values in one example of `shape` (e.g. 784 for [28, 28, 1]). */
export const valuesIn = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * How the page collects one input: a drawn digit for 28x28x1 MNIST, an image for any other
 * square image shape, and a row of numbers for a flat input (2-D points, table rows).
 */
export function inputKind(shape: readonly number[], dataset: string): TryInputKind {
  if (shape.length === 3) return dataset === 'mnist' && shape[0] === 28 && shape[1] === 28 && shape[2] === 1 ? 'digit' : 'image';
  return 'row';
}

/**
 * Why `input` cannot be one example of `shape`, or null when it can: the count of values must be
 * the shape's, and every value finite. The message says what happens now (nothing is classified).
 */
export function inputProblem(input: ArrayLike<number>, shape: readonly number[]): string | null {
  const want = valuesIn(shape);
  if (input.length !== want) return `The input has ${input.length} values, but the model takes ${want} (shape [${shape.join(', ')}]); nothing was classified.`;
  for (let i = 0; i < input.length; i++) {
    if (!Number.isFinite(input[i] as number)) return `Value ${i + 1} of the input is ${String(input[i])}, not a finite number; nothing was classified.`;
  }
  return null;
}

/** A typed row read into numbers, or the first field that is not one. */
export type ParsedRow = { readonly values: Float32Array } | { readonly error: string };

/**
 * Reads one typed value per feature. A decimal comma (as European spreadsheets write it) is read
 * as a point; an empty or non-numeric field is named and nothing is classified.
 */
export function parseRow(fields: readonly string[], names: readonly string[]): ParsedRow {
  const values = new Float32Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const text = (fields[i] ?? '').trim();
    const name = names[i] ?? `feature ${i + 1}`;
    if (text === '') return { error: `${name} is empty: type a number; nothing was classified.` };
    const value = typedNumber(text);
    if (value === null) return { error: `${name} is "${text}", not a number; nothing was classified.` };
    values[i] = value;
  }
  return { values };
}

/** A typed number, a decimal comma read as a point; null when the text is not one. */
function typedNumber(text: string): number | null {
  const value = Number(/^[+-]?\d+,\d+$/.test(text) ? text.replace(',', '.') : text);
  return Number.isFinite(value) ? value : null;
}

/** A typed table row read into one value per feature, or the first field that cannot be one. */
export type ParsedTableRow = { readonly values: readonly FeatureValue[] } | { readonly error: string };

/**
 * Reads a table row typed by column name, one field per feature of `encoding`: an empty field
 * is missing (training's median or mode fills it in, as in training), a numeric field must be a
 * number (null: the browser's number input could not read what was typed), a categorical one a
 * category seen in training.
 */
export function parseTableRow(fields: readonly (string | null)[], encoding: RowEncoding): ParsedTableRow {
  const values: FeatureValue[] = [];
  for (const [i, f] of encoding.features.entries()) {
    const raw = fields[i];
    const text = raw?.trim() ?? null;
    if (text === '') values.push(null);
    else if (f.kind === 'numeric') {
      const value = text === null ? null : typedNumber(text);
      if (value === null) return { error: `${f.name} is ${text === null ? 'not a number' : `"${text}", not a number`}: type one, or leave it empty to use the training median (${f.median}); nothing was classified.` };
      values.push(value);
    } else if (text !== null && f.categories.includes(text)) values.push(text);
    else return { error: `${f.name} is "${text ?? ''}", which training never saw; choose one of ${f.categories.map((c) => `"${c}"`).join(', ')}; nothing was classified.` };
  }
  return { values };
}

/** The fields of a typical row (training's medians and modes) as the form shows them. */
export function typicalFields(encoding: RowEncoding): string[] {
  return typicalRow(encoding).map((v) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : (v ?? '')));
}

/** A typed row in words for the result line: "sepal_length 5.1, colour red (most frequent)". */
export function describeTableRow(values: readonly FeatureValue[], encoding: RowEncoding): string {
  return encoding.features
    .map((f, i) => {
      const v = values[i] ?? null;
      if (v !== null) return `${f.name} ${typeof v === 'number' ? Number(v.toPrecision(6)) : v}`;
      return f.kind === 'numeric' ? `${f.name} ${Number(f.median.toPrecision(6))} (median)` : `${f.name} ${f.mode} (most frequent)`;
    })
    .join(', ');
}

/** Index of the largest probability (the first on a tie); -1 for an empty list. */
export function topClass(probabilities: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < probabilities.length; i++) if (best < 0 || (probabilities[i] as number) > (probabilities[best] as number)) best = i;
  return best;
}

/** Mean of `values` over the pixels on the image's border (its background, in a photo of a digit). */
function borderMean(values: Float32Array, width: number, height: number): number {
  let sum = 0, n = 0;
  const add = (x: number, y: number) => {
    sum += values[y * width + x] as number;
    n++;
  };
  for (let x = 0; x < width; x++) { add(x, 0); add(x, height - 1); }
  for (let y = 1; y < height - 1; y++) { add(0, y); add(width - 1, y); }
  return n > 0 ? sum / n : 0;
}

/** A photo's background is rarely pure white: ink this far above it counts, scaled to [0, 1]. */
const BACKGROUND_MARGIN = 0.1;

/**
 * The ink of an image of one digit: dark strokes on a light background (a photo of paper, a
 * drawing), or, when the border is mostly inked, light strokes on black (an MNIST-style image).
 * The background's level (the border's mean) is taken off and the darkest stroke scaled to 1.
 */
export function inkFromImage(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  let ink = inkFromRgba(rgba);
  if (borderMean(ink, width, height) > 0.5) {
    // Light on dark: the ink is the brightness (alpha minus inkFromRgba's darkness).
    const light = new Float32Array(ink.length);
    for (let i = 0; i < light.length; i++) light[i] = (rgba[i * 4 + 3] as number) / 255 - (ink[i] as number);
    ink = light;
  }
  const floor = borderMean(ink, width, height) + BACKGROUND_MARGIN;
  let peak = 0;
  for (const v of ink) peak = Math.max(peak, v);
  const out = new Float32Array(ink.length);
  if (peak <= floor) return out;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, ((ink[i] as number) - floor) / (peak - floor)));
  return out;
}

/** An uploaded image as MNIST's 28x28 input (centred and scaled like MNIST), or null when it has no ink. */
export function digitFromImage(rgba: ArrayLike<number>, width: number, height: number): Float32Array | null {
  return digitFromInk(inkFromImage(rgba, width, height), width, height);
}
