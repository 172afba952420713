/** Public surface of the trace module: types, the CSV loader, hole filling and lookups. */
export type { Trace, TraceLayout, TracePoint } from './types';
export { parseTrace, parseTimestamp, readTraceFile, TraceError, type ParsedTrace, type TraceFile } from './parse';
export { MAX_TRACE_POINTS } from './grid';
export { fillHoles, countHoles, type HoleFill } from './holes';
export { intensityAt, intensityArray } from './series';
export { createTraceLibrary, UPLOADED_TRACE, type NamedTrace, type TraceFetch, type TraceLibrary } from './library';
