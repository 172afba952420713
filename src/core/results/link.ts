/**
 * The result link: `<page>#r=1.<length>.<crc32>.<payload>`, where the payload is the summary's JSON,
 * deflated (fflate, raw DEFLATE) and base64url-encoded, `length` is the payload's length in
 * characters and `crc32` the CRC-32 of the JSON text (8 hex digits). The length names a truncated
 * paste; the checksum names a damaged one.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import * as v from 'valibot';
import { crc32Hex } from '../compress/crc32';
import { base64urlDecode, base64urlEncode } from './base64url';
import { ResultSummarySchema, SUMMARY_VERSION, type ResultSummary } from './summary';

/** The hash key of a result link. */
export const RESULT_HASH_KEY = 'r';

/** Why a result link could not be read. */
export type ResultLinkProblem = 'truncated' | 'wrong-version' | 'failed-checksum' | 'not-a-result';

export type DecodedResultLink =
  | { readonly ok: true; readonly summary: ResultSummary; readonly checksum: string }
  | { readonly ok: false; readonly problem: ResultLinkProblem; readonly message: string };

/** The `r=...` token (without `#`) for a summary. */
export function encodeResultToken(summary: ResultSummary): string {
  const json = JSON.stringify(summary);
  const payload = base64urlEncode(deflateSync(strToU8(json), { level: 9 }));
  return `${RESULT_HASH_KEY}=${SUMMARY_VERSION}.${payload.length}.${crc32Hex(strToU8(json))}.${payload}`;
}

/** The full result link for a summary, on the lab page at `pageUrl` (its hash is replaced). */
export function resultLinkUrl(pageUrl: string, summary: ResultSummary): string {
  return `${pageUrl.split('#')[0]}#${encodeResultToken(summary)}`;
}

/** Whether a hash (without '#') is a result link rather than an experiment link. */
export function isResultHash(hash: string): boolean {
  return hash.startsWith(`${RESULT_HASH_KEY}=`);
}

const fail = (problem: ResultLinkProblem, message: string): DecodedResultLink => ({ ok: false, problem, message });

/** The parts of a token as they appear: `version`, `length`, `crc`, `payload`, each possibly cut short. */
export interface TokenParts {
  readonly version: string;
  readonly length?: string | undefined;
  readonly crc?: string | undefined;
  readonly payload?: string | undefined;
}

/** Reads a token's parts; never throws. Truncation and damage are told apart by `length` and `crc`. */
export function decodeTokenParts(parts: TokenParts): DecodedResultLink {
  if (parts.version !== String(SUMMARY_VERSION)) {
    return fail('wrong-version', `it is a version ${parts.version} result link; this lab reads version ${SUMMARY_VERSION}. Open it in the lab that made it.`);
  }
  const length = Number(parts.length);
  if (!parts.length || !parts.crc || parts.crc.length < 8 || parts.payload === undefined) return fail('truncated', 'the link is cut off before its data begins; ask for the whole link again.');
  if (parts.payload.length < length) return fail('truncated', `the link is truncated: ${parts.payload.length} of ${length} data characters arrived; ask for the whole link again.`);
  const bytes = base64urlDecode(parts.payload.slice(0, length));
  let json: string | null = null;
  try {
    json = bytes ? strFromU8(inflateSync(bytes)) : null;
  } catch {
    json = null;
  }
  if (json === null || crc32Hex(strToU8(json)) !== parts.crc) return fail('failed-checksum', 'the link is damaged (its checksum does not match); ask for it again.');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return fail('not-a-result', 'the link holds no result data.');
  }
  const parsed = v.safeParse(ResultSummarySchema, data);
  if (!parsed.success) return fail('not-a-result', `the link does not hold a lab result (${v.getDotPath(parsed.issues[0]) ?? 'summary'}: ${parsed.issues[0].message}).`);
  return { ok: true, summary: parsed.output, checksum: parts.crc };
}

const TOKEN = /(?:^|[#&?])r=(\d+)(?:\.(\d+)(?:\.([0-9a-f]{0,8})(?:\.([A-Za-z0-9_-]*))?)?)?/;

/** Reads a result link, a `#r=...` hash or the token after '#'. */
export function decodeResultLink(text: string): DecodedResultLink {
  const hashAt = text.indexOf('#');
  const m = TOKEN.exec(hashAt >= 0 ? text.slice(hashAt) : text.trim());
  if (!m) return fail('not-a-result', 'this is not a result link (no "#r=" part).');
  return decodeTokenParts({ version: m[1]!, length: m[2], crc: m[3], payload: m[4] });
}
