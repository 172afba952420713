/**
 * `npm run lab -- verify <links or result files ...> [--out report.json] [--timeout-min N]`: re-runs
 * each result's experiment headless, on the backend it claims, and reports per entry: verified,
 * differs (field by field) or could not be re-run (why). Exit 0: every entry verified; 1: some entry
 * differs or could not be re-run; 2: no usable entry (each bad one named) or bad usage.
 */
import { writeFileSync } from 'node:fs';
import { serialiseLink } from '../src/core/config/link.ts';
import type { CompareEntry } from '../src/core/results/extract.ts';
import { summariseResult, type ResultSummary } from '../src/core/results/summary.ts';
import { rerunConfig, verificationText, verifyRerun, type Verification } from '../src/core/results/verify.ts';
import { readInputs } from './compare.ts';
import { ensureBuilt, openLab, runInSession, type LabSession } from './harness.ts';

export const VERIFY_USAGE = 'usage: npm run lab -- verify <links or result files ...> [--out report.json] [--timeout-min N]';

export interface VerifyArgs {
  readonly inputs: readonly string[];
  readonly out: string | null;
  readonly timeoutMin: number;
}

export function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
  const inputs: string[] = [];
  let out: string | null = null;
  let timeoutMin = 60;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out') out = argv[++i] ?? '';
    else if (arg === '--timeout-min') timeoutMin = Number(argv[++i]);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}\n${VERIFY_USAGE}`);
    else inputs.push(arg);
  }
  if (out === '') throw new Error(`--out needs a file name\n${VERIFY_USAGE}`);
  if (!(timeoutMin > 0)) throw new Error(`--timeout-min needs a positive number\n${VERIFY_USAGE}`);
  if (inputs.length === 0) throw new Error(VERIFY_USAGE);
  return { inputs, out, timeoutMin };
}

/** What the report says of one entry. */
export interface VerifyReportEntry {
  readonly sources: readonly string[];
  readonly nickname: string;
  /** The experiment's link (hash part). */
  readonly experiment: string;
  readonly claimed: ReturnType<typeof figures>;
  readonly rerun: ReturnType<typeof figures> | null;
  readonly verification: Verification;
  readonly text: string;
}

const figures = (s: ResultSummary) => ({ backend: s.backend, testAccuracy: s.metrics.acc, steps: s.metrics.steps, energyWh: s.energy?.wh ?? null, energyRangeWh: s.energy ? [s.energy.lowWh, s.energy.highWh] : null });

/** Re-runs one entry in an open session and judges it. */
export async function verifyEntry(session: LabSession, entry: CompareEntry, timeoutMin: number): Promise<{ verification: Verification; rerun: ResultSummary | null }> {
  const { config, issues } = rerunConfig(entry.summary);
  if (issues.length > 0) return { verification: { status: 'not-rerun', reason: `its experiment link has problems: ${issues.map((i) => i.message).join(' ')}` }, rerun: null };
  try {
    const run = await runInSession(session, serialiseLink(config), timeoutMin);
    if (!run.result) return { verification: { status: 'not-rerun', reason: `the run failed: ${run.error ?? 'no result'}` }, rerun: null };
    const rerun = summariseResult(run.result);
    return { verification: verifyRerun(entry.summary, rerun), rerun };
  } catch (error) {
    return { verification: { status: 'not-rerun', reason: (error as Error).message }, rerun: null };
  }
}

export async function runVerify(args: VerifyArgs): Promise<number> {
  const { entries, problems } = readInputs(args.inputs);
  for (const p of problems) console.error(`skipped ${p.message}`);
  if (entries.length === 0) {
    console.error(`No usable result among the inputs (${problems.length} bad entr${problems.length === 1 ? 'y' : 'ies'}); nothing to verify.`);
    return 2;
  }
  ensureBuilt(false);
  const session = await openLab('');
  const report: VerifyReportEntry[] = [];
  try {
    for (const [i, entry] of entries.entries()) {
      const who = entry.summary.nick || entry.sources[0]!;
      console.error(`… re-running ${i + 1}/${entries.length} (${who}) on ${entry.summary.backend}`);
      const { verification, rerun } = await verifyEntry(session, entry, args.timeoutMin);
      const text = verificationText(verification);
      console.log(`${who}: ${text}`);
      report.push({ sources: entry.sources, nickname: entry.summary.nick, experiment: `#${entry.summary.link}`, claimed: figures(entry.summary), rerun: rerun && figures(rerun), verification, text });
    }
  } finally {
    await session.close();
  }
  if (args.out) {
    writeFileSync(args.out, `${JSON.stringify({ entries: report, problems }, null, 2)}\n`);
    console.log(`wrote ${args.out}`);
  }
  const verified = report.filter((r) => r.verification.status === 'verified').length;
  console.log(`${verified} of ${report.length} verified.`);
  return verified === report.length ? 0 : 1;
}
