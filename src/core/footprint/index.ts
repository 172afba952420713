/** Public surface of the footprint module: a run's energy and carbon, from settings to report. */
export * from './profile';
export * from './source';
export * from './run';
export * from './export';
export * from './outlook';
