/**
 * Forecasters for traces that come without a forecast: they play the carbon provider in a replay,
 * and can stand in for one live. A forecaster is a stream: values are pushed one step at a time,
 * in order, and a forecast is asked for after the last one. It cannot see the future because the
 * future has not been pushed yet.
 */

/** A forecast that learns as measured values arrive. */
export interface ForecastStream {
  /** Appends the measured value of the next step (NaN when unknown). */
  push(value: number): void;
  /** Values pushed so far. */
  readonly length: number;
  /**
   * Writes the forecast of the `horizon` steps after the last pushed value to out[0..horizon),
   * out[0] being the next step. Needs at least one pushed value; reads nothing but what was pushed.
   */
  forecastInto(horizon: number, out: Float64Array): void;
}

/** Makes forecast streams; the method is the same for every series it is started on. */
export interface Forecaster {
  readonly id: string;
  /** One sentence on the method, for reports. */
  readonly description: string;
  /** Starts an empty stream for a series with `stepsPerDay` steps per day (24 for hourly data). */
  start(stepsPerDay: number): ForecastStream;
}

/** Growing store of pushed values, with holes carried forward for use as model inputs. */
class History {
  raw: Float64Array = new Float64Array(1024);
  filled: Float64Array = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.raw.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.raw = grow(this.raw);
      this.filled = grow(this.filled);
    }
    const previous = this.length > 0 ? (this.filled[this.length - 1] as number) : Number.NaN;
    this.raw[this.length] = value;
    this.filled[this.length] = Number.isNaN(value) ? previous : value;
    this.length++;
  }
  /** Last known value (NaN before the first known value). */
  get last(): number {
    return this.length > 0 ? (this.filled[this.length - 1] as number) : Number.NaN;
  }
  /** Filled value at index i, or `fallback` before the start (or before the first known value). */
  at(i: number, fallback: number): number {
    if (i < 0) return fallback;
    const v = this.filled[i] as number;
    return Number.isNaN(v) ? fallback : v;
  }
}

/** The traces (file names without extension) the default settings were tuned on; all others are held out. */
export const TUNED_ON: readonly string[] = ['us-ciso-2022', 'us-erco-2022'];

/** Settings of the daily profile and the fading departure from it (the blend forecaster). */
export interface BlendParams {
  /** Earlier days averaged into the daily profile. */
  readonly days: number;
  /** Weight of each earlier day relative to the next more recent one (1 = plain mean). */
  readonly dayDecay: number;
  /** Share of the current departure from the profile that survives each step ahead, 0..1. */
  readonly anomalyDecay: number;
}

/**
 * Chosen on the CISO and ERCO 2022 traces only (NYIS, PJM and BPAT held out), by forecast-window's
 * share of the oracle's saving for 1, 4 and 8 h jobs with 24 h slack.
 */
export const DEFAULT_BLEND: BlendParams = { days: 14, dayDecay: 0.8, anomalyDecay: 0.9 };

/**
 * Daily profile at index s: a decaying-weight mean of the values one, two, ... days earlier,
 * starting at the most recent day already known at `now`. NaN when none is known.
 */
function profileAt(h: History, s: number, now: number, day: number, p: BlendParams): number {
  const kMin = Math.max(1, Math.ceil((s - now) / day));
  let weight = 1;
  let sum = 0;
  let total = 0;
  for (let k = kMin; k < kMin + p.days; k++) {
    const i = s - k * day;
    if (i < 0) break;
    const v = h.filled[i] as number;
    if (!Number.isNaN(v)) {
      sum += weight * v;
      total += weight;
    }
    weight *= p.dayDecay;
  }
  return total > 0 ? sum / total : Number.NaN;
}

/** The value at the same step of the most recent day known at `now`, or NaN. */
function sameStepLastDay(h: History, s: number, now: number, day: number): number {
  const i = s - Math.max(1, Math.ceil((s - now) / day)) * day;
  return i >= 0 ? (h.filled[i] as number) : Number.NaN;
}

/** profile(now + k) + decay^k * (value(now) - profile(now)) for k = 1..horizon, into out. */
function blendInto(h: History, day: number, p: BlendParams, horizon: number, out: Float64Array): void {
  const now = h.length - 1;
  const last = h.last;
  const base = profileAt(h, now, now, day, p);
  const anomaly = Number.isNaN(base) || Number.isNaN(last) ? 0 : last - base;
  let fade = 1;
  for (let k = 1; k <= horizon; k++) {
    fade *= p.anomalyDecay;
    const profile = profileAt(h, now + k, now, day, p);
    out[k - 1] = Number.isNaN(profile) ? last : profile + fade * anomaly;
  }
}

/**
 * The blend forecaster: a daily profile of earlier days (a decaying-weight mean of the same hour
 * on the last `days` days) plus the current departure from that profile, fading geometrically
 * with the lead time:  forecast(now + k) = profile(now + k) + anomalyDecay^k * (now - profile(now)).
 * With less than a day of history it repeats the last known value (persistence).
 */
export function createBlendForecaster(params: BlendParams = DEFAULT_BLEND): Forecaster {
  return {
    id: 'blend',
    description:
      `daily profile of the last ${params.days} days (each earlier day weighted ${params.dayDecay}x) ` +
      `plus the current departure from it, fading by ${params.anomalyDecay} per step ahead`,
    start(stepsPerDay) {
      const h = new History();
      return {
        push: (v) => h.push(v),
        get length() {
          return h.length;
        },
        forecastInto: (horizon, out) => blendInto(h, stepsPerDay, params, horizon, out),
      };
    },
  };
}

/** The blend forecaster with DEFAULT_BLEND. */
export const blendForecaster: Forecaster = createBlendForecaster();

/** Settings of the adaptive forecaster. */
export interface AdaptiveParams {
  /** The profile that is one of the model's inputs, and the forecast used until a model has learned enough. */
  readonly blend: BlendParams;
  /** Weight each model keeps of its past per new sample (one sample a day): 0.99 remembers about 100 days. */
  readonly forgetting: number;
  /** Ridge added to the normal equations' diagonal, keeping early solves stable. */
  readonly ridge: number;
  /** Samples a model needs before it replaces the blend forecast. */
  readonly minSamples: number;
}

/** Chosen like DEFAULT_BLEND: on CISO and ERCO 2022 only, by forecast-window's share of the oracle's saving. */
export const DEFAULT_ADAPTIVE: AdaptiveParams = {
  blend: DEFAULT_BLEND,
  forgetting: 0.99,
  ridge: 1,
  minSamples: 14,
};

/** Inputs of the adaptive model, in order; see createAdaptiveForecaster. */
const FEATURES = 8;

/** Solves (A + ridge I) x = b for a symmetric positive-definite A (packed FEATURES x FEATURES) by Cholesky. */
function solveInto(a: Float64Array, aOff: number, b: Float64Array, bOff: number, ridge: number, x: Float64Array, xOff: number): boolean {
  const n = FEATURES;
  const l = choleskyScratch;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = (a[aOff + i * n + j] as number) + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) return false;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / (l[j * n + j] as number);
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[bOff + i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (x[xOff + k] as number);
    x[xOff + i] = s / (l[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[xOff + i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[xOff + k] as number);
    x[xOff + i] = s / (l[i * n + i] as number);
  }
  return true;
}
const choleskyScratch = new Float64Array(FEATURES * FEATURES);

/**
 * The adaptive forecaster: one linear model per lead time and step of the day, learned online
 * from the series itself by exponentially forgetting least squares, so it calibrates itself to
 * each region without hand tuning. Its inputs, at the time the forecast is made: the current
 * value, the values 1 and 3 steps earlier, the blend's daily profile at the target step and at
 * now, the same step on the last known day, the mean of the last day, and a constant. Each model
 * learns from a (inputs, value) pair once the target step's value has been pushed. Until a model
 * has `minSamples` pairs, and for lead times beyond the ones it has learned (`maxLead`), the
 * blend forecast is used.
 */
export function createAdaptiveForecaster(params: AdaptiveParams = DEFAULT_ADAPTIVE, maxLead = 48): Forecaster {
  return {
    id: 'adaptive',
    description:
      'per lead time and hour of day, a linear model learned online (least squares forgetting ' +
      `${params.forgetting} per day) from the current value, recent lags, the daily profile of the ` +
      `last ${params.blend.days} days, the same hour on the last day and the last day's mean; ` +
      `the plain profile-plus-fading-departure blend until ${params.minSamples} days are learned`,
    start: (stepsPerDay) => new AdaptiveStream(stepsPerDay, params, maxLead),
  };
}

/** One series' state of the adaptive forecaster: a model per (lead, step of day) and its inputs. */
class AdaptiveStream implements ForecastStream {
  private readonly h = new History();
  private readonly gram: Float64Array;
  private readonly rhs: Float64Array;
  private readonly beta: Float64Array;
  private readonly samples: Uint32Array;
  /** 0: not solved since the last sample, 1: solved, 2: singular. */
  private readonly solved: Uint8Array;
  /** Inputs computed at each of the last maxLead + 1 issue times, for every lead. */
  private readonly inputs: Float64Array;
  private readonly ring: number;
  private readonly fallback: Float64Array;

  constructor(private readonly day: number, private readonly params: AdaptiveParams, private readonly maxLead: number) {
    const n = FEATURES;
    const models = maxLead * day;
    this.gram = new Float64Array(models * n * n);
    this.rhs = new Float64Array(models * n);
    this.beta = new Float64Array(models * n);
    this.samples = new Uint32Array(models);
    this.solved = new Uint8Array(models);
    this.ring = maxLead + 1;
    this.inputs = new Float64Array(this.ring * maxLead * n);
    this.fallback = new Float64Array(maxLead);
  }

  get length(): number {
    return this.h.length;
  }

  push(value: number): void {
    this.h.push(value);
    const now = this.h.length - 1;
    if (!Number.isNaN(value)) this.learn(now, value);
    if (!Number.isNaN(this.h.last)) this.computeInputs(now);
  }

  private model(lead: number, target: number): number {
    return (lead - 1) * this.day + (target % this.day);
  }

  private lastDayMean(now: number, fallback: number): number {
    let sum = 0;
    let count = 0;
    for (let i = Math.max(0, now - this.day + 1); i <= now; i++) {
      const v = this.h.filled[i] as number;
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    return count > 0 ? sum / count : fallback;
  }

  private computeInputs(now: number): void {
    const { h, day, params, inputs } = this;
    const n = FEATURES;
    const x0 = h.last;
    const base0 = profileAt(h, now, now, day, params.blend);
    const p0 = Number.isNaN(base0) ? x0 : base0;
    const mean = this.lastDayMean(now, x0);
    const x1 = h.at(now - 1, x0);
    const x3 = h.at(now - 3, x0);
    const slot = (now % this.ring) * this.maxLead * n;
    for (let lead = 1; lead <= this.maxLead; lead++) {
      const profile = profileAt(h, now + lead, now, day, params.blend);
      const yesterday = sameStepLastDay(h, now + lead, now, day);
      const o = slot + (lead - 1) * n;
      inputs[o] = x0;
      inputs[o + 1] = x1;
      inputs[o + 2] = x3;
      inputs[o + 3] = Number.isNaN(profile) ? x0 : profile;
      inputs[o + 4] = p0;
      inputs[o + 5] = Number.isNaN(yesterday) ? x0 : yesterday;
      inputs[o + 6] = mean;
      inputs[o + 7] = 1;
    }
  }

  private learn(target: number, y: number): void {
    const { gram, rhs, inputs } = this;
    const n = FEATURES;
    const lam = this.params.forgetting;
    for (let lead = 1; lead <= Math.min(this.maxLead, target); lead++) {
      const o = ((target - lead) % this.ring) * this.maxLead * n + (lead - 1) * n;
      const m = this.model(lead, target);
      const g = m * n * n;
      const r = m * n;
      for (let i = 0; i < n; i++) {
        const xi = inputs[o + i] as number;
        for (let j = 0; j <= i; j++) {
          const v = lam * (gram[g + i * n + j] as number) + xi * (inputs[o + j] as number);
          gram[g + i * n + j] = v;
          gram[g + j * n + i] = v;
        }
        rhs[r + i] = lam * (rhs[r + i] as number) + xi * y;
      }
      this.samples[m] = (this.samples[m] as number) + 1;
      this.solved[m] = 0;
    }
  }

  forecastInto(horizon: number, out: Float64Array): void {
    const { h, day, params, maxLead } = this;
    const now = h.length - 1;
    blendInto(h, day, params.blend, Math.min(horizon, maxLead), this.fallback);
    if (horizon > maxLead) blendInto(h, day, params.blend, horizon, out);
    for (let lead = 1; lead <= Math.min(horizon, maxLead); lead++) out[lead - 1] = this.predict(now, lead);
  }

  /** The learned model's forecast `lead` steps after `now`, or the blend's until it has learned enough. */
  private predict(now: number, lead: number): number {
    const n = FEATURES;
    const m = this.model(lead, now + lead);
    const fallback = this.fallback[lead - 1] as number;
    if ((this.samples[m] as number) < this.params.minSamples || Number.isNaN(this.h.last)) return fallback;
    if (this.solved[m] === 0) this.solved[m] = solveInto(this.gram, m * n * n, this.rhs, m * n, this.params.ridge, this.beta, m * n) ? 1 : 2;
    if (this.solved[m] !== 1) return fallback;
    const o = (now % this.ring) * this.maxLead * n + (lead - 1) * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += (this.beta[m * n + i] as number) * (this.inputs[o + i] as number);
    return s;
  }
}

/** The adaptive forecaster with DEFAULT_ADAPTIVE: the one replays use unless told otherwise. */
export const adaptiveForecaster: Forecaster = createAdaptiveForecaster();

/**
 * The reference the issue measures against: each step's forecast is the value at the same step on
 * the most recent known day (one day earlier, two for lead times beyond a day), else the last value.
 */
export const sameHourYesterday: Forecaster = {
  id: 'same-hour-yesterday',
  description: 'the value at the same hour on the most recent known day',
  start(stepsPerDay) {
    const h = new History();
    return {
      push: (v) => h.push(v),
      get length() {
        return h.length;
      },
      forecastInto(horizon, out) {
        const now = h.length - 1;
        for (let k = 1; k <= horizon; k++) {
          const v = sameStepLastDay(h, now + k, now, stepsPerDay);
          out[k - 1] = Number.isNaN(v) ? h.last : v;
        }
      },
    };
  },
};

/** Forecasts the last known value for every step ahead; the simplest baseline. */
export const persistence: Forecaster = {
  id: 'persistence',
  description: 'the current value, held flat',
  start() {
    const h = new History();
    return {
      push: (v) => h.push(v),
      get length() {
        return h.length;
      },
      forecastInto: (horizon, out) => out.fill(h.last, 0, horizon),
    };
  },
};

/** Convenience: pushes `known` (the last entry is now) into a fresh stream and returns its forecast. */
export function forecastFrom(
  forecaster: Forecaster,
  known: ArrayLike<number>,
  horizon: number,
  stepsPerDay = 24,
): Float64Array {
  const stream = forecaster.start(stepsPerDay);
  for (let i = 0; i < known.length; i++) stream.push(known[i] as number);
  const out = new Float64Array(horizon);
  stream.forecastInto(horizon, out);
  return out;
}
