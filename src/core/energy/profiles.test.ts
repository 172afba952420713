import { describe, expect, it } from 'vitest';
import { CPU_PROFILES, GPU_PROFILES, RAM_PROFILES, customGpuProfile, matchProfile, normaliseArchitecture, normaliseVendor, type AdapterDescription } from './profiles';

interface Case {
  readonly name: string;
  readonly adapter: AdapterDescription | null;
  readonly threads: number;
  readonly gpu: string;
  readonly cpu: string;
  readonly sharing: string;
}

// Adapter info as browsers report it: Chrome usually fills only vendor and architecture.
const cases: readonly Case[] = [
  { name: 'Chrome on an M1 MacBook Air', adapter: { vendor: 'apple', architecture: 'metal-3', device: '', description: '' }, threads: 8, gpu: 'apple-m-base', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Chrome on an M1 Max MacBook Pro', adapter: { vendor: 'apple', architecture: 'metal-3' }, threads: 10, gpu: 'apple-m-pro-max', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Chrome on an M2 Ultra Mac Studio', adapter: { vendor: 'apple', architecture: 'metal-3' }, threads: 24, gpu: 'apple-m-ultra', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'older Chrome on Apple reporting a common family', adapter: { vendor: 'apple', architecture: 'common-3' }, threads: 8, gpu: 'apple-m-base', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Chrome on a Tiger Lake laptop (Iris Xe)', adapter: { vendor: 'intel', architecture: 'gen-12lp', device: '', description: '' }, threads: 8, gpu: 'intel-gen-12lp', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Chrome on a Meteor Lake laptop', adapter: { vendor: 'intel', architecture: 'xe-lpg', description: 'Intel(R) Arc(TM) Graphics' }, threads: 22, gpu: 'intel-xe-lpg', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Chrome on a Lunar Lake laptop', adapter: { vendor: 'intel', architecture: 'xe-2lpg' }, threads: 8, gpu: 'intel-xe2-lpg', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Chrome on a Kaby Lake laptop (UHD 620)', adapter: { vendor: 'intel', architecture: 'gen-9' }, threads: 8, gpu: 'intel-gen-9', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Intel Arc A750 desktop card, no description', adapter: { vendor: 'intel', architecture: 'gen-12hp' }, threads: 12, gpu: 'intel-arc-alchemist', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'Intel Arc A770 named in the description', adapter: { vendor: 'intel', architecture: 'gen-12hp', description: 'Intel(R) Arc(TM) A770 Graphics' }, threads: 16, gpu: 'named:Intel Arc A770', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'Chrome with an RTX 3080 desktop', adapter: { vendor: 'nvidia', architecture: 'ampere', device: '', description: '' }, threads: 16, gpu: 'nvidia-ampere', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'Chrome with an RTX 2060', adapter: { vendor: 'nvidia', architecture: 'turing' }, threads: 12, gpu: 'nvidia-turing', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'Chrome with an RTX 4090 named', adapter: { vendor: 'nvidia', architecture: 'lovelace', description: 'NVIDIA GeForce RTX 4090' }, threads: 32, gpu: 'named:NVIDIA GeForce RTX 4090', cpu: 'cpu-desktop-large', sharing: 'separate' },
  { name: 'gaming laptop with an RTX 4060 Laptop GPU', adapter: { vendor: 'nvidia', architecture: 'lovelace', description: 'NVIDIA GeForce RTX 4060 Laptop GPU' }, threads: 20, gpu: 'nvidia-laptop', cpu: 'cpu-laptop-large', sharing: 'separate' },
  { name: 'RTX 50 series', adapter: { vendor: 'nvidia', architecture: 'blackwell' }, threads: 24, gpu: 'nvidia-blackwell', cpu: 'cpu-desktop-large', sharing: 'separate' },
  { name: 'headless Chrome on an H200 server, architecture only', adapter: { vendor: 'nvidia', architecture: 'hopper' }, threads: 16, gpu: 'nvidia-hopper', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'headless Chrome on an H200 server, named', adapter: { vendor: 'nvidia', architecture: '', description: 'NVIDIA H200' }, threads: 64, gpu: 'named:NVIDIA H200 (SXM)', cpu: 'cpu-workstation', sharing: 'separate' },
  { name: 'NVIDIA with no architecture (new card unknown to the browser)', adapter: { vendor: 'nvidia', architecture: '' }, threads: 16, gpu: 'nvidia-unknown', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'Chrome with a Radeon RX 6800', adapter: { vendor: 'amd', architecture: 'rdna-2' }, threads: 12, gpu: 'amd-rdna-2', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'Chrome with a Radeon RX 7900 XTX', adapter: { vendor: 'amd', architecture: 'rdna-3' }, threads: 16, gpu: 'amd-rdna-3', cpu: 'cpu-desktop-medium', sharing: 'separate' },
  { name: 'Radeon RX Vega 64', adapter: { vendor: 'amd', architecture: 'gcn-5' }, threads: 8, gpu: 'amd-gcn-5', cpu: 'cpu-desktop-small', sharing: 'separate' },
  { name: 'Ryzen laptop with a Radeon 780M', adapter: { vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon(TM) 780M' }, threads: 16, gpu: 'amd-integrated', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Ryzen laptop with "Radeon(TM) Graphics"', adapter: { vendor: 'amd', architecture: 'gcn-5', description: 'AMD Radeon(TM) Graphics' }, threads: 12, gpu: 'amd-integrated', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'SwiftShader in headless Chrome', adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device (Subzero)' }, threads: 16, gpu: 'software-gpu', cpu: 'cpu-desktop-medium', sharing: 'cpu-includes-gpu' },
  { name: 'WARP on Windows', adapter: { vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver' }, threads: 8, gpu: 'software-gpu', cpu: 'cpu-laptop-small', sharing: 'cpu-includes-gpu' },
  { name: 'Android phone with Adreno', adapter: { vendor: 'qualcomm', architecture: 'adreno-7xx' }, threads: 8, gpu: 'mobile-soc', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'Android phone with Mali', adapter: { vendor: 'arm', architecture: 'valhall' }, threads: 8, gpu: 'mobile-soc', cpu: 'cpu-in-soc', sharing: 'gpu-includes-cpu' },
  { name: 'no WebGPU adapter at all', adapter: null, threads: 4, gpu: 'no-gpu', cpu: 'cpu-laptop-small', sharing: 'cpu-includes-gpu' },
  { name: 'an adapter that says nothing', adapter: { vendor: '', architecture: '', device: '', description: '' }, threads: 8, gpu: 'gpu-unknown', cpu: 'cpu-desktop-small', sharing: 'separate' },
];

describe('matchProfile', () => {
  it.each(cases)('matches $name', ({ adapter, threads, gpu, cpu, sharing }) => {
    const m = matchProfile(adapter, threads, 16);
    expect(m.profile.gpu.id).toBe(gpu);
    expect(m.profile.cpu.id).toBe(cpu);
    expect(m.profile.sharing).toBe(sharing);
    expect(m.reason.length).toBeGreaterThan(20);
  });

  it('explains an architecture-only match in plain words, naming the range', () => {
    const m = matchProfile({ vendor: 'nvidia', architecture: 'ampere' }, 16, 32);
    expect(m.confidence).toBe('architecture');
    expect(m.reason).toContain('NVIDIA');
    expect(m.reason).toContain('130-350 W');
    expect(m.reason).toContain('32 GB');
  });

  it('says when every Apple Silicon Mac looks the same', () => {
    const m = matchProfile({ vendor: 'apple', architecture: 'metal-3' }, 8);
    expect(m.reason).toMatch(/every Apple Silicon Mac/);
    expect(m.profile.ram.id).toBe('ram-in-soc');
  });

  it('assumes memory and threads when the browser does not say, and lowers confidence', () => {
    const m = matchProfile({ vendor: 'nvidia', architecture: 'ampere' }, Number.NaN);
    expect(m.profile.logicalCores).toBe(4);
    expect(m.profile.memoryGB).toBe(8);
    expect(m.confidence).toBe('guess');
    expect(m.reason).toMatch(/assumed/);
  });

  it('names the model when the description gives it', () => {
    expect(matchProfile({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' }, 12).confidence).toBe('named-model');
  });
});

describe('normalisation', () => {
  it('makes architecture strings comparable whatever their punctuation', () => {
    expect(normaliseArchitecture('Gen-12 LP')).toBe('gen12lp');
    expect(normaliseArchitecture('xe-lpg')).toBe('xelpg');
    expect(normaliseArchitecture(undefined)).toBe('');
  });

  it('reads vendor names written in full or found only in the device text', () => {
    expect(normaliseVendor('NVIDIA Corporation')).toBe('nvidia');
    expect(normaliseVendor('Advanced Micro Devices, Inc.')).toBe('amd');
    expect(normaliseVendor('', 'Intel(R) UHD Graphics 620')).toBe('intel');
  });
});

describe('profile data', () => {
  it('gives every row a source and ordered, non-negative power figures', () => {
    for (const row of [...GPU_PROFILES, ...CPU_PROFILES]) {
      expect(row.source.length, row.id).toBeGreaterThan(10);
      for (const v of ['low', 'typical', 'high'] as const) {
        expect(row.power[v].idle, row.id).toBeGreaterThanOrEqual(0);
        expect(row.power[v].max, row.id).toBeGreaterThanOrEqual(row.power[v].idle);
      }
      expect(row.power.low.max, row.id).toBeLessThanOrEqual(row.power.high.max);
    }
    for (const row of RAM_PROFILES) expect(row.source.length).toBeGreaterThan(10);
  });

  it('has unique ids', () => {
    const ids = [...GPU_PROFILES, ...CPU_PROFILES, ...RAM_PROFILES].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('builds a row from watts the user typed, the same at every end of the range', () => {
    const row = customGpuProfile('My card', 12, 180);
    expect(row.power.low).toEqual(row.power.high);
    expect(row.power.typical.max).toBe(180);
    expect(customGpuProfile('odd', 50, 10).power.typical.max).toBe(50);
  });
});
