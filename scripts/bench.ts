/**
 * npm run bench [-- --steps N --rounds K --backends webgpu,webgl,wasm,cpu]
 * npm run bench -- --auto [--json FILE] [--steps N --rounds K] [--models mlp,cnn,spiral]
 *
 * For each backend available in headless Chromium, the samples per second of the lab's own
 * training loop and of plain TensorFlow.js model.fit on the same model (the default MNIST MLP),
 * data and batch size, measured in the same worker one after the other, and their ratio.
 *
 * With --auto (issue 16): for the default MLP, the CNN and the spiral MLP, the backend "auto"
 * picks by its probe, the fastest backend as the lab's loop measures each one forced, the ratio of
 * their samples per second, and the probe's cost in seconds. Target: ratio >= 0.95 for all three.
 * Each case is then probed again in the same page (`again`), where the first probe compiled the
 * GPU kernels. `--models cnn` (or any of mlp, cnn, spiral) runs only those cases.
 */
import { writeFileSync } from 'node:fs';
import { trainableOn } from '../src/core/backend/select.ts';
import { serialiseLink } from '../src/core/config/link.ts';
import { defaultConfig, type BackendChoice, type BackendId, type ExperimentConfig } from '../src/core/config/schema.ts';
import type { BenchmarkResult } from '../workers/contract.ts';
import { ensureBuilt, openLab, type LabSession } from './harness.ts';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const steps = Number(option('--steps') ?? 60);
const rounds = Number(option('--rounds') ?? 3);
const backends = (option('--backends') ?? 'webgpu,webgl,wasm,cpu').split(',') as BackendId[];

ensureBuilt(argv.includes('--build'));
if (argv.includes('--auto')) {
  await benchAuto();
  process.exit(process.exitCode ?? 0);
}
const config = defaultConfig();
console.log(`Benchmark: default MNIST MLP (${config.model.hidden.join('-')} hidden, batch ${config.train.batchSize}), ${steps} steps each, median of ${rounds} interleaved runs after one warm-up run each.`);
console.log('backend  lab samples/s  model.fit samples/s  ratio (lab / fit)');
const session = await openLab(serialiseLink(config));
let worst = Infinity;
try {
  for (const backend of backends) {
    try {
      const r = await benchmarkIn(session, backend);
      const ratio = r.labSamplesPerSecond / r.fitSamplesPerSecond;
      worst = Math.min(worst, ratio);
      console.log(`${backend.padEnd(8)} ${r.labSamplesPerSecond.toFixed(0).padStart(13)} ${r.fitSamplesPerSecond.toFixed(0).padStart(20)} ${ratio.toFixed(2).padStart(18)}`);
    } catch (error) {
      console.log(`${backend.padEnd(8)} not available: ${(error as Error).message.split('\n')[0]}`);
    }
  }
} finally {
  await session.close();
}
if (Number.isFinite(worst)) console.log(`lowest ratio: ${worst.toFixed(2)} (target >= 1.00)`);

function benchmarkIn(session: LabSession, backend: BackendChoice, n = steps, k = rounds): Promise<BenchmarkResult> {
  return session.page.evaluate(
    ([b, n, k]) =>
      (window as unknown as { labAutomation: { benchmark(b: string, n: number, k: number): Promise<BenchmarkResult> } }).labAutomation.benchmark(b, n, k),
    [backend, n, k] as const,
  );
}

interface AutoCase {
  readonly model: string;
  readonly picked: BackendId;
  readonly fastest: BackendId;
  /** Samples per second of the picked backend over those of the fastest, both forced and timed alike. */
  readonly ratio: number;
  readonly probeSeconds: number;
  readonly probe: string;
  /** The backends the probe did not measure, each with its reason. */
  readonly notMeasured: readonly string[];
  readonly measured: Record<string, number>;
  /** The same, probed again in the same page: GPU kernels compiled by the first probe are warm there. */
  readonly again: { readonly picked: BackendId; readonly ratio: number; readonly probeSeconds: number; readonly probe: string };
}

/**
 * The cases, each with the steps its forced runs time by default: enough for a few tenths of a
 * second on the fastest backend here (10 steps of the spiral MLP on wasm took 15-30 ms, and their
 * figures swung 5x), few enough that the software WebGPU adapter finishes (a CNN step there takes 4 s).
 */
function autoCases(): { key: string; model: string; config: ExperimentConfig; steps: number }[] {
  const mlp = defaultConfig();
  const cnn = defaultConfig();
  cnn.model.kind = 'cnn';
  const spiral = defaultConfig();
  spiral.data.dataset = 'spiral';
  return [
    { key: 'mlp', model: `default MLP (MNIST, ${mlp.model.hidden.join('-')} hidden, batch ${mlp.train.batchSize})`, config: mlp, steps: 40 },
    { key: 'cnn', model: `CNN (MNIST, filters ${cnn.model.filters.join('-')}, batch ${cnn.train.batchSize})`, config: cnn, steps: 10 },
    { key: 'spiral', model: `spiral MLP (${spiral.data.samples} points, ${spiral.model.hidden.join('-')} hidden, batch ${spiral.train.batchSize})`, config: spiral, steps: 200 },
  ];
}

async function autoCase(model: string, config: ExperimentConfig, n: number, k: number): Promise<AutoCase> {
  const session = await openLab(serialiseLink(config));
  try {
    const auto = await benchmarkIn(session, 'auto', n, k);
    const second = await benchmarkIn(session, 'auto', n, k);
    const measured: Record<string, number> = {};
    for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) {
      if (trainableOn(backend, config.model.kind)) continue;
      try {
        measured[backend] = (await benchmarkIn(session, backend, n, k)).labSamplesPerSecond;
      } catch (error) {
        console.error(`  ${backend}: not available (${(error as Error).message.split('\n')[0]})`);
      }
    }
    const ranked = Object.entries(measured).sort((a, b) => b[1] - a[1]);
    if (ranked.length === 0) throw new Error(`${model}: no backend could be timed forced, so there is nothing to compare the pick with`);
    const [fastest, best] = ranked[0]!;
    // A pick that could not be timed forced counts as 0: the comparison must be like with like.
    const picked = measured[auto.backend] ?? 0;
    const notMeasured = (auto.probe?.failed ?? []).map((f) => `${f.backend}: ${f.reason}`);
    const again = { picked: second.backend, ratio: (measured[second.backend] ?? 0) / best, probeSeconds: second.probe?.seconds ?? 0, probe: probeFigures(second) };
    return { model, picked: auto.backend, fastest: fastest as BackendId, ratio: picked / best, probeSeconds: auto.probe?.seconds ?? 0, probe: probeFigures(auto), notMeasured, measured, again };
  } finally {
    await session.close();
  }
}

/** What a probe measured, e.g. "wasm 4800/s, webgl (software) 1600/s (timed at batch 8)". */
function probeFigures(r: BenchmarkResult): string {
  const rates = (r.probe?.measurements ?? []).map((m) => `${m.backend}${m.software ? ' (software)' : ''} ${m.samplesPerSecond.toFixed(0)}/s`).join(', ');
  return `${rates || 'nothing'}${r.probe?.batch !== undefined ? ` (timed at batch ${r.probe.batch})` : ''}`;
}

/** --auto: for three models, whether the probe picked the fastest backend, and what probing cost. */
async function benchAuto(): Promise<void> {
  const fixedSteps = option('--steps');
  const k = Number(option('--rounds') ?? 1);
  console.log(`Auto backend choice: each backend forced and timed by the lab's loop (${fixedSteps ?? 'per case'} steps, median of ${k}), against the one the probe picked.`);
  const cases: AutoCase[] = [];
  const only = option('--models')?.split(',');
  const chosen = autoCases().filter((c) => !only || only.includes(c.key));
  if (chosen.length === 0) throw new Error(`--models takes a list of mlp, cnn and spiral, got ${only?.join(',')}`);
  for (const { model, config, steps: caseSteps } of chosen) {
    const n = Number(fixedSteps ?? caseSteps);
    const c = await autoCase(model, config, n, k);
    cases.push(c);
    const rates = Object.entries(c.measured).map(([b, v]) => `${b} ${v.toFixed(0)}`).join(', ');
    console.log(`${model}, forced runs of ${n} steps\n  picked ${c.picked}, fastest ${c.fastest}, ratio ${c.ratio.toFixed(2)}, probe ${c.probeSeconds.toFixed(2)} s\n  probe measured: ${c.probe}\n  not measured: ${c.notMeasured.join('; ') || 'none'}\n  forced runs (samples/s): ${rates}\n  probed again in the same page: picked ${c.again.picked}, ratio ${c.again.ratio.toFixed(2)}, probe ${c.again.probeSeconds.toFixed(2)} s, measured ${c.again.probe}`);
  }
  const worst = Math.min(...cases.map((c) => c.ratio));
  console.log(`lowest ratio picked / fastest: ${worst.toFixed(2)} (target >= 0.95)`);
  const json = option('--json');
  if (json) writeFileSync(json, `${JSON.stringify({ rounds: k, cases }, null, 2)}\n`);
  process.exitCode = worst >= 0.95 ? 0 : 1;
}
