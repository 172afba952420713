/**
 * Energy and carbon of the current run: which device profile and intensity source apply, the
 * live counters, and the report after the run. The Lab forwards the worker's events here; the
 * carbon providers are asked from the page, so credentials never enter the worker.
 */
import { cachedProvider, type CachedProvider } from '../core/carbon/cache';
import { withFallback } from '../core/carbon/fallback';
import type { CarbonProvider, FetchLike, IntensitySeries } from '../core/carbon/provider';
import { fallbackCountryFor, regionFromLocale, type RegionChoice, type RegionDefault } from '../core/carbon/regions';
import type { ExperimentConfig } from '../core/config/schema';
import { matchProfile, type ProfileMatch } from '../core/energy/profiles';
import {
  alignOutlook,
  createFootprintTracker,
  emissionsCsv,
  emissionsJson,
  isUsableBaseUrl,
  providersFor,
  regionChoiceFor,
  resolveProfile,
  type ChosenProfile,
  type FootprintTracker,
  type LiveFootprint,
  type ProviderBaseUrls,
  type ProviderCredentials,
  type RunFootprint,
} from '../core/footprint';
import type { ReplaySegment, ResumedReplayClock } from '../core/carbon/providers/replay';
import type { Trace } from '../core/trace';
import type { BackendReport, ProgressUpdate } from '../core/train/types';
import type { GramsCO2PerKWh } from '../core/units';
import { forgetCredentials, loadBaseUrls, loadCredentials, saveBaseUrls, saveCredentials } from './provider-settings';
import type { TraceShelf } from './traces.svelte';

/** How often a network provider is asked again during a run; its cache answers in between. */
const REFRESH_MS = 5 * 60_000;

/** What the browser says about itself, read once. */
function browserFacts(): { threads: number; memoryGB: number | undefined; timeZone: string | undefined; locale: string | undefined } {
  const nav = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { deviceMemory?: number });
  let timeZone: string | undefined;
  try {
    timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    timeZone = undefined;
  }
  return { threads: nav?.hardwareConcurrency ?? Number.NaN, memoryGB: nav?.deviceMemory, timeZone, locale: nav?.language };
}

const browserFetch: FetchLike = (url, init) => fetch(url, init);

/** What a live schedule knows about the grid now and ahead. */
export interface IntensityOutlook {
  /** When it was asked, ms since the Unix epoch. */
  readonly now: number;
  /** Length of the source's intervals (30 min for the UK API, an hour for most others). */
  readonly stepMs: number;
  readonly current: GramsCO2PerKWh;
  /** Forecast intensities of the intervals after the current one, in gCO2/kWh. */
  readonly forecast: readonly number[];
  readonly label: string;
  readonly usedFallback: boolean;
}

export class Footprint {
  readonly browserDefault: RegionDefault;
  credentials = $state.raw<ProviderCredentials>(loadCredentials());
  baseUrls = $state.raw<ProviderBaseUrls>(loadBaseUrls());

  /** The automatic match for the last run's adapter; null before a backend is known. */
  match = $state.raw<ProfileMatch | null>(null);
  chosen = $state.raw<ChosenProfile | null>(null);
  live = $state.raw<LiveFootprint | null>(null);
  report = $state.raw<RunFootprint | null>(null);
  /** The series the run's intensity came from (provider, region, source). */
  series = $state.raw<IntensitySeries | null>(null);
  /** Set when the chosen source failed: what happened and that the offline average applies. */
  notice = $state<string | null>(null);
  status = $state('The intensity source is asked when you press Start.');

  private readonly facts = browserFacts();
  private tracker: FootprintTracker | null = null;
  private energySettings: ExperimentConfig['energy'] | null = null;
  private providers: { primary: CarbonProvider; fallback: CarbonProvider; choice: RegionChoice } | null = null;
  // Not state: a cache the view never reads.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly caches = new Map<string, CachedProvider>();
  private intensityDone: Promise<void> = Promise.resolve();
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  /** Counts runs; a run that ended or was reset is no longer `runToken`, so its late answers start no timer. */
  private runToken = 0;
  private runStart: number | null = null;
  /** Trace time a simulated schedule starts at; the replay source starts there too. */
  private replayStartMs: number | undefined = undefined;
  private replayEarlier: readonly ReplaySegment[] = [];

  /** @param traces the page's trace library, for the replay source. */
  constructor(private readonly traces: TraceShelf) {
    this.browserDefault = regionFromLocale(this.facts.timeZone, this.facts.locale);
  }

  /** The region the config asks for, in words. */
  choiceOf(config: ExperimentConfig): RegionChoice {
    return regionChoiceFor(config.carbon, this.browserDefault);
  }

  setCredentials(c: ProviderCredentials): void {
    this.credentials = c;
    saveCredentials(c);
    this.caches.clear();
  }

  forgetCredentials(): void {
    forgetCredentials();
    this.credentials = { electricityMapsKey: '', wattTimeUsername: '', wattTimePassword: '' };
    this.caches.clear();
  }

  setBaseUrls(b: ProviderBaseUrls): void {
    this.baseUrls = b;
    saveBaseUrls(b);
    this.caches.clear();
  }

  /**
   * A new run starts: forget the last one and ask the intensity source.
   * @param scheduleTrace the trace a simulated schedule replays (a bundled name or the upload).
   * @param resumed a continued scheduled run's clock: the trace time it continues from (not the
   *   schedule's start) and the clock's stretches before the reload, so the steps trained then are
   *   priced at the hours they trained in.
   */
  startRun(config: ExperimentConfig, scheduleTrace: string = config.schedule.trace, resumed?: ResumedReplayClock): void {
    // A simulated schedule prices energy on its own trace and clock, so both panels agree.
    const sim = config.schedule.mode === 'simulated';
    this.replayStartMs = sim ? (resumed?.fromMs ?? Date.parse(`${config.schedule.start}Z`)) : undefined;
    this.replayEarlier = sim ? (resumed?.earlier ?? []) : [];
    if (sim) config = { ...config, carbon: { source: 'replay', region: scheduleTrace, replaySpeed: config.schedule.rate * 3600 } };
    this.stopRefresh();
    const run = ++this.runToken;
    this.tracker = null;
    this.energySettings = config.energy;
    this.live = null;
    this.report = null;
    this.notice = null;
    this.series = null;
    this.match = null;
    this.chosen = null;
    this.runStart = Date.now();
    this.intensityDone = this.askIntensity(config, run);
  }

  /** The backend is known: match the device and start metering. */
  onBackend(report: BackendReport): void {
    const gpuInUse = report.backend === 'webgpu' || report.backend === 'webgl';
    this.match = matchProfile(gpuInUse ? report.adapter : null, this.facts.threads, this.facts.memoryGB);
    this.rebuild();
  }

  onProgress(progress: ProgressUpdate): void {
    if (this.tracker === null || progress.steps.length === 0) return;
    this.tracker.addSteps(progress.steps);
    if (this.providers?.primary.id === 'replay') void this.refresh();
    this.live = this.tracker.live();
  }

  /** The run was reset: stop asking the intensity source and forget the run's figures. */
  abandonRun(): void {
    this.runToken++;
    this.stopRefresh();
    this.tracker = null;
    this.live = null;
    this.report = null;
    this.notice = null;
  }

  /** The run ended (finished, stopped or failed): complete the intensity and build the report. */
  async endRun(): Promise<void> {
    this.runToken++;
    this.stopRefresh();
    await this.intensityDone;
    const p = this.providers;
    const records = this.tracker?.records ?? [];
    // A replay knows every interval of the run, so charge each with its own value.
    if (p !== null && p.primary.id === 'replay' && records.length > 0 && this.runStart !== null && this.tracker !== null) {
      try {
        const last = records[records.length - 1];
        const end = last ? last.startTime + last.wallMs + 1 : Date.now();
        this.tracker.addIntensity((await p.primary.history(Math.min(this.runStart, records[0]?.startTime ?? end), end)).points);
      } catch {
        // The replay answered at the start, so the points it gave still apply.
      }
    }
    try {
      this.finish();
    } catch (e) {
      this.status = `The energy report could not be built: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Apply changed energy settings (profile, watts, PUE) to the run shown, without training again. */
  applyEnergySettings(energy: ExperimentConfig['energy']): void {
    this.energySettings = energy;
    if (this.match === null) return;
    this.rebuild();
    this.finish();
  }

  /** CodeCarbon emissions.csv of the run, or null before a report. Holds no credentials. */
  emissionsCsv(experimentId: string): string | null {
    return this.report && this.chosen ? emissionsCsv(this.report, this.identity(experimentId)) : null;
  }

  emissionsJson(experimentId: string): string | null {
    return this.report && this.chosen ? emissionsJson(this.report, this.identity(experimentId)) : null;
  }

  private identity(experimentId: string) {
    const choice = this.providers?.choice ?? this.browserDefault.choice;
    const country = this.report?.carbon.provider === 'offline' ? this.report.carbon.region : fallbackCountryFor(choice, this.browserDefault);
    return {
      endedAt: this.runStart === null ? Date.now() : this.runStart + (this.report?.durationS ?? 0) * 1000,
      runId: `run-${this.runStart ?? 0}`,
      experimentId,
      country,
      os: typeof navigator === 'undefined' ? '' : navigator.userAgent,
      gpuModel: this.chosen?.profile.gpu.label ?? '',
      profile: (this.chosen as ChosenProfile).profile,
    };
  }

  private rebuild(): void {
    if (this.match === null || this.energySettings === null) return;
    const records = this.tracker?.records ?? [];
    const chosen = resolveProfile(this.match, this.energySettings);
    this.chosen = chosen;
    const tracker = createFootprintTracker(chosen.profile, this.energySettings.pue);
    if (this.series) tracker.addIntensity(this.pointsSoFar);
    tracker.addSteps([...records]);
    this.tracker = tracker;
    this.live = tracker.live();
  }

  private pointsSoFar: IntensitySeries['points'] = [];

  private finish(): void {
    if (this.tracker === null || this.series === null) return;
    this.report = this.tracker.finish(this.series, this.notice);
  }

  private accept(series: IntensitySeries, notice: string | null): void {
    this.series = series;
    if (notice !== null) this.notice = notice;
    this.pointsSoFar = [...this.pointsSoFar, ...series.points];
    this.tracker?.addIntensity(series.points);
    if (this.tracker) this.live = this.tracker.live();
  }

  private async askIntensity(config: ExperimentConfig, run: number): Promise<void> {
    this.pointsSoFar = [];
    const choice = this.choiceOf(config);
    let trace: Trace | null = null;
    if (choice.provider === 'replay') trace = await this.traceFor(choice.traceName);
    for (const [name, url] of Object.entries(this.baseUrls)) {
      if (!isUsableBaseUrl(url)) this.notice = `The ${name} address "${url}" is not an http(s) URL; the public address is used.`;
    }
    const baseUrls = Object.fromEntries(Object.entries(this.baseUrls).map(([k, u]) => [k, isUsableBaseUrl(u) ? u : ''])) as unknown as ProviderBaseUrls;
    const built = providersFor(choice, this.browserDefault, {
      fetch: browserFetch, now: () => Date.now(), baseUrls, credentials: this.credentials, trace, replaySpeed: config.carbon.replaySpeed,
      replayEarlier: this.replayEarlier,
      ...(this.replayStartMs === undefined ? {} : { replayStartMs: this.replayStartMs }),
    });
    const key = `${JSON.stringify(choice)}|${JSON.stringify(baseUrls)}|${config.carbon.replaySpeed}`;
    let primary: CarbonProvider = built.primary;
    if (choice.provider !== 'replay' && choice.provider !== 'offline') {
      const cached = this.caches.get(key) ?? cachedProvider(built.primary, { now: () => Date.now() });
      this.caches.set(key, cached);
      primary = cached;
    }
    this.providers = { primary, fallback: built.fallback, choice };
    this.status = `Asking ${primary.label}…`;
    await this.refresh();
    // A slow provider may answer after the run ended (or failed): its timer would outlive it.
    if (run !== this.runToken) return;
    if (choice.provider !== 'replay') this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  private async refresh(): Promise<void> {
    const p = this.providers;
    if (p === null) return;
    try {
      const outcome = await withFallback(p.primary, p.fallback, (provider) => provider.current());
      this.accept(outcome.series, outcome.notice);
      this.status = outcome.usedFallback
        ? `Using ${outcome.series.regionName}: ${outcome.series.source}.`
        : `Intensity from ${outcome.series.regionName}: ${outcome.series.source}${outcome.series.stale ? ' (an older answer: the provider asked us to wait)' : ''}.`;
    } catch (e) {
      this.status = `No intensity could be had: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /**
   * The intensity now and the source's forecast, for a live schedule. A source without a forecast
   * (the offline country average) gives none; a failing one falls back as the run's reading does.
   * Null until the run has chosen its source.
   */
  async outlook(): Promise<IntensityOutlook | null> {
    await this.intensityDone;
    const p = this.providers;
    if (p === null) return null;
    const now = Date.now();
    const current = await withFallback(p.primary, p.fallback, (provider) => provider.current());
    if (current.notice) this.notice = current.notice;
    if (!alignOutlook(current.series.points, [], now)) return null;
    let forecast: IntensitySeries['points'] = [];
    let forecastNote = '';
    if (!current.usedFallback && p.primary.capabilities.forecast) {
      try {
        forecast = (await p.primary.forecast()).points;
      } catch (e) {
        forecastNote = `; no forecast (${e instanceof Error ? e.message : String(e)})`;
      }
    }
    const aligned = alignOutlook(current.series.points, forecast, now);
    if (!aligned) return null;
    return { now, ...aligned, label: `${current.series.regionName}, ${current.series.source}${forecastNote}`, usedFallback: current.usedFallback };
  }

  /** The replay's trace from the page's library; null (the replay source then falls back) with a notice saying why. */
  private async traceFor(name: string): Promise<Trace | null> {
    try {
      return (await this.traces.get(name)).trace;
    } catch (e) {
      this.notice = e instanceof Error ? e.message : String(e);
      return null;
    }
  }

  private stopRefresh(): void {
    if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
  }
}
