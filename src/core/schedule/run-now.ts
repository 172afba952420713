import { guarded, type Policy } from './policy';

/** The carbon-agnostic baseline: full speed from the start until the work is done. */
export const runNowPolicy: Policy = {
  id: 'run-now',
  label: 'Run now',
  description: 'Ignores the grid: trains at full speed from the start until the work is done.',
  foresight: 'forecast',
  evaluationOnly: false,
  decide: (c) => guarded(c, { duty: 1, kind: 'run', reason: 'Runs at full speed now, whatever the grid intensity.' }),
};
