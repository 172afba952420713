/**
 * Finds results in what a teacher collects: any pasted text (a chat log, an LMS export, the CSV
 * of a form's responses) with result links anywhere inside, and result JSON files. Every bad entry
 * is named with where it was found; the same run given twice is merged into one entry.
 */
import { strToU8 } from 'fflate';
import { crc32Hex } from '../compress/crc32';
import { validateResult, type LabResult } from '../result';
import { decodeResultLink, decodeTokenParts, type ResultLinkProblem } from './link';
import { summariseResult, type ResultSummary } from './summary';

/** One run, found once or more. */
export interface CompareEntry {
  /** Identifies the run (its experiment, hardware, metrics, energy and curve), not the copy of it. */
  readonly key: string;
  readonly summary: ResultSummary;
  /** Where it was found, e.g. "chat.txt, line 4". */
  readonly sources: readonly string[];
}

/** An entry that could not be used, and why. */
export interface EntryProblem {
  readonly source: string;
  readonly problem: ResultLinkProblem | 'not-json';
  readonly message: string;
}

export interface Extraction {
  readonly entries: readonly CompareEntry[];
  readonly problems: readonly EntryProblem[];
}

/** The run's identity: two copies of one run (a link and its result file, say) share it. */
export function runKey(s: ResultSummary): string {
  return crc32Hex(strToU8(JSON.stringify([s.link, s.backend, s.device, s.metrics, s.energy, s.curve])));
}

const LINK = /#r=(\d+)(?:\.(\d+)(?:\.([0-9a-f]{0,8})(?:\.([A-Za-z0-9_-]*))?)?)?/g;

/** Every result link in free text; a JSON text is read as a result file instead. */
export function extractFromText(text: string, name: string): Extraction {
  const asJson = /^\s*[[{]/.test(text) ? extractFromJson(text, name) : null;
  if (asJson && asJson.entries.length > 0) return asJson;
  const links = extractLinks(text, name);
  // JSON that is no result file may still hold links (a chat export, say).
  return asJson && links.entries.length === 0 && links.problems.length === 0 ? asJson : links;
}

function extractLinks(text: string, name: string): Extraction {
  // Some exports percent-encode the hash.
  const plain = text.replace(/%23r%3D/gi, '#r=');
  const lineStarts = [0];
  for (let i = plain.indexOf('\n'); i >= 0; i = plain.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (at: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const found: CompareEntry[] = [];
  const problems: EntryProblem[] = [];
  for (const m of plain.matchAll(LINK)) {
    const source = `${name}, line ${lineOf(m.index)}`;
    const decoded = decodeTokenParts({ version: m[1]!, length: m[2], crc: m[3], payload: m[4] });
    if (decoded.ok) found.push({ key: runKey(decoded.summary), summary: decoded.summary, sources: [source] });
    else problems.push({ source, problem: decoded.problem, message: `${source}: ${decoded.message}` });
  }
  return { entries: found, problems };
}

/** A result JSON file (as the runner and "Download result" write it). */
export function extractFromJson(text: string, name: string): Extraction {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { entries: [], problems: [{ source: name, problem: 'not-json', message: `${name}: not valid JSON (${(error as Error).message}).` }] };
  }
  const issues = validateResult(data);
  if (issues.length > 0) {
    const more = issues.length > 3 ? ` and ${issues.length - 3} more` : '';
    return { entries: [], problems: [{ source: name, problem: 'not-a-result', message: `${name}: not a lab result file (${issues.slice(0, 3).join('; ')}${more}).` }] };
  }
  const result = data as LabResult;
  // The nickname, if any, travels only in the result link.
  const fromLink = result.resultLink ? decodeResultLink(result.resultLink) : null;
  const summary = summariseResult(result, fromLink?.ok ? fromLink.summary.nick : '', fromLink?.ok ? fromLink.summary.app : undefined);
  return { entries: [{ key: runKey(summary), summary, sources: [name] }], problems: [] };
}

/** Merges entries of the same run (first one wins; a nickname fills in from a later copy), in first-seen order. */
export function mergeEntries(lists: readonly (readonly CompareEntry[])[]): CompareEntry[] {
  const byKey = new Map<string, CompareEntry>();
  for (const list of lists) {
    for (const e of list) {
      const seen = byKey.get(e.key);
      if (!seen) byKey.set(e.key, e);
      else {
        const summary = seen.summary.nick || !e.summary.nick ? seen.summary : { ...seen.summary, nick: e.summary.nick };
        byKey.set(e.key, { key: e.key, summary, sources: [...seen.sources, ...e.sources] });
      }
    }
  }
  return [...byKey.values()];
}

/** Reads many inputs at once and merges their entries. */
export function extractAll(inputs: readonly { readonly name: string; readonly text: string }[]): Extraction {
  const parts = inputs.map((i) => extractFromText(i.text, i.name));
  return { entries: mergeEntries(parts.map((p) => p.entries)), problems: parts.flatMap((p) => p.problems) };
}
