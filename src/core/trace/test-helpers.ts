/** Shared steps of the trace tests. */
import { TraceError } from './parse';

/** The TraceError that `fn` throws; fails the test if it throws nothing or something else. */
export function errorOf(fn: () => unknown): TraceError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TraceError) return e;
    throw e;
  }
  throw new Error('expected a TraceError');
}
