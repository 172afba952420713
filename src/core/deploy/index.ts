/** Deployment optimisation (issue 7): the benchmark's table, the recommendation, batching, edge against cloud. */
export * from './types';
export * from './table';
export * from './recommend';
export * from './batching';
export * from './transfer';
export * from './analysis';
