/**
 * The experiment config as a URL hash (the share link) and as JSON. Both are pure functions
 * of strings and objects; only a thin adapter in the UI touches `location`.
 */
import {
  FIELDS,
  checkConsistency,
  checkField,
  defaultConfig,
  getPath,
  quoteValue,
  setPath,
  type ConfigIssue,
  type ExperimentConfig,
  type FieldSpec,
  type ParsedConfig,
} from './schema';

const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));
const BY_PATH = new Map(FIELDS.map((f) => [f.path, f]));
const SECTIONS = new Set(FIELDS.filter((f) => f.path.includes('.')).map((f) => f.path.split('.')[0] as string));

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Turns the text of one link or form value into the type its field expects, or returns it unchanged. */
export function valueFromText(spec: FieldSpec, text: string): unknown {
  switch (spec.kind) {
    case 'number':
    case 'int':
      return NUMBER_TEXT.test(text) ? Number(text) : text;
    case 'intList':
      if (text === '') return [];
      return text.split(',').map((part) => (NUMBER_TEXT.test(part.trim()) ? Number(part.trim()) : part));
    default:
      return text;
  }
}

/** Writes a field's value as the text used in links and forms. */
export function valueToText(spec: FieldSpec, value: unknown): string {
  return spec.kind === 'intList' ? (value as number[]).join(',') : String(value);
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * Reads a share link: a full URL, a hash (`#v=1&lr=0.01`) or the part after `#`.
 * Never throws: every unknown, duplicate, malformed or out-of-range field is named in
 * `issues` and its default is used.
 */
export function parseLink(link: string): ParsedConfig {
  const hashAt = link.indexOf('#');
  const hash = hashAt >= 0 ? link.slice(hashAt + 1) : /^[a-z]+:\/\//i.test(link) ? '' : link;
  const config = defaultConfig();
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const pair of hash.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq >= 0 ? pair.slice(0, eq) : pair;
    const key = decode(rawKey);
    const text = eq >= 0 ? decode(pair.slice(eq + 1)) : null;
    if (key === null) {
      issues.push({ field: rawKey, message: `${quoteValue(rawKey)}: this part of the link is not valid percent-encoding and was ignored.` });
      continue;
    }
    const spec = BY_KEY.get(key);
    if (!spec) {
      issues.push({ field: key, message: `${quoteValue(key)}: unknown field, ignored.` });
      continue;
    }
    if (seen.has(key)) {
      issues.push({ field: key, message: `${key}: given more than once; the first value is kept.` });
      continue;
    }
    seen.add(key);
    if (text === null) {
      const message = eq >= 0 ? 'not valid percent-encoding' : 'has no value (expected key=value)';
      issues.push({ field: key, message: `${key}: ${message}; using the default ${quoteValue(getPath(config, spec.path))}.` });
      continue;
    }
    const value = valueFromText(spec, text);
    const problem = checkField(spec, value, key);
    if (problem) issues.push({ field: key, message: problem });
    else setPath(config, spec.path, value);
  }
  issues.push(...checkConsistency(config));
  return { config, issues: capped(issues) };
}

/** The most problems a link reports one by one; a pasted wall of junk gets a count for the rest. */
export const MAX_LINK_ISSUES = 20;

function capped(issues: ConfigIssue[]): ConfigIssue[] {
  if (issues.length <= MAX_LINK_ISSUES) return issues;
  const rest = issues.length - MAX_LINK_ISSUES;
  return [...issues.slice(0, MAX_LINK_ISSUES), { field: '(more)', message: `and ${rest.toLocaleString('en')} more problem${rest === 1 ? '' : 's'} in this link, not listed; each was ignored.` }];
}

/** Writes the complete config as a hash (without `#`). Every field is written, so a link means the same run even if defaults change. */
export function serialiseLink(config: ExperimentConfig): string {
  return FIELDS.map((spec) => {
    const text = valueToText(spec, getPath(config, spec.path));
    return `${spec.key}=${encodeURIComponent(text).replace(/%2C/g, ',')}`;
  }).join('&');
}

/** Builds the full share URL from a page address (any existing hash is replaced). */
export function shareUrl(pageUrl: string, config: ExperimentConfig): string {
  const base = pageUrl.split('#')[0] as string;
  return `${base}#${serialiseLink(config)}`;
}

function flatten(node: unknown, prefix: string, out: Map<string, unknown>, issues: ConfigIssue[]): void {
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (BY_PATH.has(path)) out.set(path, value);
    else if (!prefix && SECTIONS.has(key)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value, path, out, issues);
      else issues.push({ field: path, message: `${path}: expected an object of settings, got ${quoteValue(value)}; using its defaults.` });
    } else issues.push({ field: path, message: `${path}: unknown field, ignored.` });
  }
}

/**
 * Reads a config object (for example a parsed config.json). Like `parseLink`, never throws:
 * a missing field takes its default and a bad one is named in `issues`.
 */
export function parseConfigObject(input: unknown): ParsedConfig {
  const config = defaultConfig();
  const issues: ConfigIssue[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    issues.push({ field: '(config)', message: `The config must be a JSON object, got ${quoteValue(input)}; using the default experiment.` });
    return { config, issues };
  }
  const values = new Map<string, unknown>();
  flatten(input, '', values, issues);
  for (const [path, value] of values) {
    const spec = BY_PATH.get(path) as FieldSpec;
    const problem = checkField(spec, value, path);
    if (problem) issues.push({ field: path, message: problem });
    else setPath(config, path, structuredClone(value));
  }
  issues.push(...checkConsistency(config));
  return { config, issues: capped(issues) };
}

/** Reads config JSON text; malformed JSON is one issue and the defaults apply. */
export function parseConfigJson(text: string): ParsedConfig {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return {
      config: defaultConfig(),
      issues: [{ field: '(config)', message: `The config is not valid JSON (${(error as Error).message}); using the default experiment.` }],
    };
  }
  return parseConfigObject(input);
}
