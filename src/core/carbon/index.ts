/** Public surface of the carbon module: providers, accounting, regions, equivalents and export. */
export * from './provider';
export { getJson, parseRetryAfter, redact } from './http';
export * from './accounting';
export * from './cache';
export * from './fallback';
export * from './regions';
export * from './equivalents';
export * from './codecarbon';
export * from './providers/uk-carbon-intensity';
export * from './providers/electricity-maps';
export * from './providers/watttime';
export * from './providers/offline';
export * from './providers/replay';
