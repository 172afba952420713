/**
 * The workspace's own part of the address: which view is shown and which lesson step is open.
 * It rides in the same hash as the experiment (`#view=schedule&lesson=cost-of-a-run&step=2&v=1&...`)
 * but is not part of the experiment config, so a result or share link never depends on it.
 */
import { LESSON_VIEWS, type LessonView } from '../lessons/parse';

export type View = LessonView;
export const VIEWS: readonly View[] = LESSON_VIEWS;

/** Each view's tab label, in tab order. */
export const VIEW_TABS: readonly { readonly id: View; readonly label: string }[] = [
  { id: 'train', label: 'Train' },
  { id: 'footprint', label: 'Footprint' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'compress', label: 'Compress' },
  { id: 'deploy', label: 'Deploy' },
  { id: 'explore', label: 'Explore' },
  { id: 'compare', label: 'Compare' },
  { id: 'lessons', label: 'Lessons' },
];

export interface WorkspaceLocation {
  readonly view: View | null;
  /** A built-in lesson id or an https URL, or null. */
  readonly lesson: string | null;
  /** 0-based step of the lesson. */
  readonly step: number;
}

export const NO_WORKSPACE: WorkspaceLocation = { view: null, lesson: null, step: 0 };

const KEYS = new Set(['view', 'lesson', 'step']);
/** Longest lesson reference kept from a link (a URL). */
const MAX_LESSON_CHARS = 2000;

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * Splits a hash (without `#`) into the workspace part and the experiment part. Never throws; each
 * unusable workspace value is named in `problems` and left out.
 */
export function splitWorkspace(hash: string): { workspace: WorkspaceLocation; experiment: string; problems: string[] } {
  const rest: string[] = [];
  const problems: string[] = [];
  let view: View | null = null;
  let lesson: string | null = null;
  let step = 0;
  for (const pair of hash.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq >= 0 ? pair.slice(0, eq) : pair;
    if (!KEYS.has(key)) {
      if (pair !== '') rest.push(pair);
      continue;
    }
    const value = decode(eq >= 0 ? pair.slice(eq + 1) : '');
    if (key === 'view') {
      if ((VIEWS as readonly string[]).includes(value ?? '')) view = value as View;
      else problems.push(`view: "${(value ?? '').slice(0, 40)}" is not a view (${VIEWS.join(', ')}); showing Train.`);
    } else if (key === 'lesson') {
      if (value && value.length <= MAX_LESSON_CHARS) lesson = value;
      else problems.push('lesson: the lesson in this link is empty or too long; no lesson was opened.');
    } else {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 1 && n <= 100) step = n - 1;
      else problems.push(`step: "${(value ?? '').slice(0, 40)}" is not a step number from 1 to 100; starting at step 1.`);
    }
  }
  return { workspace: { view, lesson, step }, experiment: rest.join('&'), problems };
}

/** Writes the workspace part in front of the experiment hash (steps are written 1-based, as people count). */
export function joinWorkspace(workspace: WorkspaceLocation, experiment: string): string {
  const parts: string[] = [];
  if (workspace.view && workspace.view !== 'train') parts.push(`view=${workspace.view}`);
  if (workspace.lesson) parts.push(`lesson=${encodeURIComponent(workspace.lesson)}`, `step=${workspace.step + 1}`);
  return [...parts, experiment].filter((p) => p !== '').join('&');
}
