/**
 * How a run's checkpoints are stored, one record per run id, so that each write grows with what
 * changed: a head (the run's position, its tensors and epochs, rewritten each time) and the loss
 * curve and step records as an append-only log of chunks, each holding what was added since the
 * write before. Pure: the IndexedDB adapter (workers/checkpoint-store.ts) puts what this plans.
 */
import { parseConfigObject } from '../config/link';
import type { StepRecord } from '../energy/power';
import { isUsableCheckpoint, type RunCheckpoint, type SavedRunInfo } from './checkpoint';

/** Format of a run's head record. Version 1 was a whole checkpoint under one key ("current"). */
export const HEAD_VERSION = 2;

/** A checkpoint without its curve and step records; it says how much of the log it covers. */
export interface CheckpointHead extends Omit<RunCheckpoint, 'version' | 'lossCurve' | 'steps'> {
  readonly version: typeof HEAD_VERSION;
  readonly runId: string;
  /** Losses and step records of the run, and the log chunks that hold them (indices 0..chunks-1). */
  readonly lossCount: number;
  readonly stepCount: number;
  readonly chunks: number;
}

/** One log chunk: the losses and step records added since the write before. */
export interface CurveChunk {
  readonly losses: readonly number[];
  readonly steps: readonly StepRecord[];
}

/** How much of a run's log is stored. */
export interface LogPosition {
  readonly losses: number;
  readonly steps: number;
  readonly chunks: number;
}

export const EMPTY_LOG: LogPosition = { losses: 0, steps: 0, chunks: 0 };

/** One write: the new head and, when the curve grew, the chunk to add at `chunkIndex`. */
export interface CheckpointWrite {
  readonly head: CheckpointHead;
  readonly chunk: CurveChunk | null;
  readonly chunkIndex: number;
  /** The log was not a prefix of this checkpoint's curve: delete the run's chunks first. */
  readonly rewrite: boolean;
  /** Where the log stands once the write is stored. */
  readonly next: LogPosition;
}

/**
 * Plans the write of `checkpoint` for run `runId`, whose log already holds `stored`: only the
 * losses and step records after it go into the new chunk.
 */
export function planCheckpointWrite(runId: string, checkpoint: RunCheckpoint, stored: LogPosition): CheckpointWrite {
  const rewrite = checkpoint.lossCurve.length < stored.losses || checkpoint.steps.length < stored.steps;
  const from = rewrite ? EMPTY_LOG : stored;
  const losses = checkpoint.lossCurve.slice(from.losses);
  const steps = checkpoint.steps.slice(from.steps);
  const chunk = losses.length > 0 || steps.length > 0 ? { losses, steps } : null;
  const next = { losses: checkpoint.lossCurve.length, steps: checkpoint.steps.length, chunks: from.chunks + (chunk ? 1 : 0) };
  const { lossCurve: _curve, steps: _steps, version: _version, ...rest } = checkpoint;
  const head: CheckpointHead = { ...rest, version: HEAD_VERSION, runId, lossCount: next.losses, stepCount: next.steps, chunks: next.chunks };
  return { head, chunk, chunkIndex: from.chunks, rewrite, next };
}

/** Appends `values` to `target` in place, one by one: a spread of 500k values overflows the stack. */
export function appendAll<T>(target: T[], values: readonly T[]): void {
  for (let i = 0; i < values.length; i++) target.push(values[i] as T);
}

/** The checkpoint a head and its chunks (in index order) hold, and where its log stands. */
export function assembleCheckpoint(head: CheckpointHead, chunks: readonly CurveChunk[]): { checkpoint: RunCheckpoint; log: LogPosition } {
  const lossCurve: number[] = [];
  const steps: StepRecord[] = [];
  for (const chunk of chunks.slice(0, head.chunks)) {
    appendAll(lossCurve, chunk.losses);
    appendAll(steps, chunk.steps);
  }
  if (lossCurve.length !== head.lossCount || steps.length !== head.stepCount) {
    throw new Error(`its curve is incomplete (${lossCurve.length} of ${head.lossCount} losses, ${steps.length} of ${head.stepCount} step records)`);
  }
  const { runId: _runId, lossCount: _l, stepCount: _s, chunks: _c, version: _v, ...rest } = head;
  return { checkpoint: { ...rest, version: 1, lossCurve, steps }, log: { losses: lossCurve.length, steps: steps.length, chunks: head.chunks } };
}

/** A stored run as a tab sees it: one it can continue, or one it names and keeps until discarded. */
export type SavedRunEntry = (
  | { readonly runId: string; readonly info: SavedRunInfo; readonly problem: null }
  | { readonly runId: string; readonly info: null; readonly problem: string; readonly savedAt: number | null }
) & {
  /** Set when a later write of the run failed (a full disk): what was not saved. */
  readonly unsaved: string | null;
};

/** Whether a stored value is a head record this version can continue (its log is read later). */
function isUsableHead(value: unknown): value is CheckpointHead {
  const h = value as Partial<CheckpointHead> | null;
  return (
    h !== null &&
    typeof h === 'object' &&
    h.version === HEAD_VERSION &&
    typeof h.stepsDone === 'number' &&
    typeof h.totalSteps === 'number' &&
    h.stepsDone <= h.totalSteps &&
    h.lossCount === h.stepsDone &&
    typeof h.chunks === 'number' &&
    Array.isArray(h.weights) &&
    Array.isArray(h.optimizer) &&
    Array.isArray(h.epochs)
  );
}

/**
 * Checks a stored record (a whole version-1 checkpoint or a version-2 head): the run it offers,
 * with its config passed through the config schema as a link's is, or what is wrong with it,
 * worded for the user ("saved by an older version: ..."). Never throws.
 */
export function checkStoredRun(value: unknown): { problem: null; info: SavedRunInfo } | { problem: string; info: null } {
  const version = (value as { version?: unknown } | null)?.version;
  const usable = version === HEAD_VERSION ? isUsableHead(value) : isUsableCheckpoint(value);
  if (!usable) {
    const format = typeof version === 'number' ? `format ${version}` : 'an unknown format';
    return { problem: `saved by an older version of the lab (${format}, which this version cannot continue)`, info: null };
  }
  const head = value as CheckpointHead | RunCheckpoint;
  const { config, issues } = parseConfigObject(head.config);
  if (issues.length > 0) {
    const listed = issues.slice(0, 3).map((i) => i.message).join(' ');
    return { problem: `saved by an older version of the lab: ${listed}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`, info: null };
  }
  return { problem: null, info: { config, savedAt: head.savedAt, paused: head.paused, stepsDone: head.stepsDone, totalSteps: head.totalSteps } };
}

/** The entry a tab shows for a stored record. */
export function savedRunEntry(runId: string, value: unknown, unsaved: string | null = null): SavedRunEntry {
  const checked = checkStoredRun(value);
  if (checked.info) return { runId, info: checked.info, problem: null, unsaved };
  const savedAt = (value as { savedAt?: unknown } | null)?.savedAt;
  return { runId, info: null, problem: checked.problem, savedAt: typeof savedAt === 'number' ? savedAt : null, unsaved };
}
