import { describe, expect, it } from 'vitest';
import { explainBackend, planBackends } from './select';

describe('backend planning', () => {
  it('tries webgpu, webgl, wasm, cpu in that order for an MLP', () => {
    expect(planBackends('auto', 'mlp')).toEqual({ candidates: ['webgpu', 'webgl', 'wasm', 'cpu'], skipped: [] });
  });

  it('leaves wasm out for a CNN and says why', () => {
    const plan = planBackends('auto', 'cnn');
    expect(plan.candidates).toEqual(['webgpu', 'webgl', 'cpu']);
    expect(plan.skipped[0]?.reason).toMatch(/Conv2DBackpropFilter/);
  });

  it('puts a forced backend first and keeps the rest as fallback', () => {
    expect(planBackends('cpu', 'mlp').candidates).toEqual(['cpu', 'webgpu', 'webgl', 'wasm']);
    expect(planBackends('wasm', 'cnn').candidates).toEqual(['webgpu', 'webgl', 'cpu']);
  });

  it('explains a fallback with the reasons of each better backend', () => {
    const text = explainBackend('auto', 'webgl', [{ backend: 'webgpu', reason: 'navigator.gpu is missing' }]);
    expect(text).toBe('Training on webgl. Not used: webgpu, navigator.gpu is missing.');
  });

  it('says when a forced backend could not be used', () => {
    const text = explainBackend('webgpu', 'cpu', [{ backend: 'webgpu', reason: 'no adapter' }]);
    expect(text).toMatch(/you chose webgpu, but it could not be used/);
  });
});
