/**
 * Small readers for untrusted JSON. Each returns undefined for a missing or wrongly typed value,
 * so a parser can say exactly which field was wrong instead of crashing on it.
 */

/** A plain object, or undefined. */
export const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** An array, or undefined. */
export const asArray = (v: unknown): readonly unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** A finite number, or undefined (null, strings and NaN are not numbers here). */
export const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A string, or undefined. */
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** An ISO 8601 date-time string as ms since the epoch, or undefined when it does not parse. */
export const asTime = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || v === '') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
};

/** Thrown by parsers on a wrong shape; providers turn it into a `malformed` CarbonProviderError. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

/** Throw a ShapeError naming what was expected. */
export const shapeError = (what: string): never => {
  throw new ShapeError(what);
};
