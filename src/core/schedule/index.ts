/** Public surface of the schedule module: the policy contract, the policies, forecasters and the replay simulator. */
export * from './policy';
export { planCheapestSteps, planContiguousWindow, windowQuantile, type WindowPlan } from './plan';
export { runNowPolicy } from './run-now';
export { createThresholdPolicy, thresholdPolicy, DEFAULT_THRESHOLD, type ThresholdOptions } from './threshold';
export {
  createForecastWindowPolicy,
  forecastWindowPolicy,
  decideByWindow,
  DEFAULT_FORECAST_WINDOW,
  type ForecastWindowOptions,
} from './forecast-window';
export { createThrottlePolicy, throttlePolicy, DEFAULT_THROTTLE, type ThrottleOptions } from './throttle';
export { oraclePolicy } from './oracle';
export { POLICIES, LIVE_POLICIES, isPolicyId } from './registry';
export * from './forecaster';
export * from './simulate';
export { liveContext, liveWindow, type LiveState, type LiveWindow } from './live';
export * from './driver';
