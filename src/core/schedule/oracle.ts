import { decideByWindow } from './forecast-window';
import type { Policy } from './policy';

/**
 * EVALUATION ONLY, perfect foresight: the forecast-window search handed the real future instead of
 * a forecast, which makes it the best any policy could do (the cheapest steps, or the best window,
 * before the deadline). It cannot run live; replays give it the recorded future as its forecast.
 */
export const oraclePolicy: Policy = {
  id: 'oracle',
  label: 'Oracle (perfect foresight, evaluation only)',
  description:
    'Evaluation only: knows the real future intensity and runs in the cleanest hours before the deadline. ' +
    'No live policy can do this; it marks the most any schedule could save.',
  foresight: 'perfect',
  evaluationOnly: true,
  decide: (c) => decideByWindow(c, 0, 'perfect foresight'),
};
