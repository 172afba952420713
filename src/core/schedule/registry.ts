import { forecastWindowPolicy } from './forecast-window';
import { oraclePolicy } from './oracle';
import type { Policy, PolicyId } from './policy';
import { runNowPolicy } from './run-now';
import { thresholdPolicy } from './threshold';
import { throttlePolicy } from './throttle';

/** Every built-in policy with its default settings, by id. */
export const POLICIES: Readonly<Record<PolicyId, Policy>> = {
  'run-now': runNowPolicy,
  threshold: thresholdPolicy,
  'forecast-window': forecastWindowPolicy,
  throttle: throttlePolicy,
  oracle: oraclePolicy,
};

/** Policies that may drive a live run: all but the evaluation-only ones. */
export const LIVE_POLICIES: readonly Policy[] = Object.values(POLICIES).filter((p) => !p.evaluationOnly);

/** Whether a string (from a config, a link or a result file) names a built-in policy. */
export const isPolicyId = (s: string): s is PolicyId => Object.hasOwn(POLICIES, s);
