/** Public surface of the energy module: device profiles, their matching, and the power model. */
export * from './profiles';
export * from './power';
export { IDLE_SHARE, NAMED_MODEL_SPREAD, NAMED_GPU_MODELS, type NamedGpuModel } from './profile-data';
