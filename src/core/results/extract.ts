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
  const entries: CompareEntry[] = [];
  const problems: EntryProblem[] = [];
  for (const f of findLinks(text, name)) {
    if ('entry' in f) entries.push(f.entry);
    else problems.push(f.problem);
  }
  return { entries, problems };
}

/** One link found in a text: a usable entry or a named problem. */
export type LinkFinding = { readonly entry: CompareEntry } | { readonly problem: EntryProblem };

/** Every result link in free text, one at a time (so a caller can spread a long paste over several tasks). */
export function* findLinks(text: string, name: string): Generator<LinkFinding> {
  // Some exports percent-encode the hash.
  const plain = text.replace(/%23r%3D/gi, '#r=');
  let line = 1;
  let counted = 0;
  for (const m of plain.matchAll(LINK)) {
    for (let i = plain.indexOf('\n', counted); i >= 0 && i < m.index; i = plain.indexOf('\n', i + 1)) line++;
    counted = m.index;
    const source = `${name}, line ${line}`;
    const decoded = decodeTokenParts({ version: m[1]!, length: m[2], crc: m[3], payload: m[4] });
    if (decoded.ok) yield { entry: { key: runKey(decoded.summary), summary: decoded.summary, sources: [source] } };
    else yield { problem: { source, problem: decoded.problem, message: `${source}: ${decoded.message}` } };
  }
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

/** Merges entries of the same run (first one wins; a nickname or lesson record fills in from a later copy), in first-seen order. */
export function mergeEntries(lists: readonly (readonly CompareEntry[])[]): CompareEntry[] {
  const byKey = new Map<string, CompareEntry>();
  for (const list of lists) {
    for (const e of list) {
      const seen = byKey.get(e.key);
      if (!seen) byKey.set(e.key, e);
      else {
        const named = seen.summary.nick || !e.summary.nick ? seen.summary : { ...seen.summary, nick: e.summary.nick };
        const summary = named.lesson || !e.summary.lesson ? named : { ...named, lesson: e.summary.lesson };
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
