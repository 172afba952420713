import { watts } from '../units';
import { CPU_PROFILES, GPU_PROFILES, NAMED_GPU_MODELS, RAM_PROFILES, fromNamedTdp } from './profile-data';
import type {
  CpuClass,
  CpuProfile,
  DeviceProfile,
  GpuProfile,
  PackageSharing,
  PowerVariants,
  RamProfile,
} from './profile-types';

export * from './profile-types';
export { CPU_PROFILES, GPU_PROFILES, RAM_PROFILES } from './profile-data';

/** The fields of WebGPU's `GPUAdapterInfo` that matching reads; any may be empty. */
export interface AdapterDescription {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}

/** How sure the match is, from a named model down to a guess. */
export type MatchConfidence = 'named-model' | 'architecture' | 'vendor' | 'guess';

/** A chosen device profile and, in plain words, why it was chosen. */
export interface ProfileMatch {
  readonly profile: DeviceProfile;
  readonly reason: string;
  readonly confidence: MatchConfidence;
}

/** Memory assumed when the browser does not say (Chrome's `navigator.deviceMemory` caps at 8). */
export const DEFAULT_MEMORY_GB = 8;
/** Threads assumed when `navigator.hardwareConcurrency` is missing or nonsense. */
export const DEFAULT_THREADS = 4;

/** Lower-case and strip everything but letters and digits: `Gen-12 LP` and `gen-12lp` both give `gen12lp`. */
export const normaliseArchitecture = (architecture: string | undefined): string =>
  (architecture ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');

const VENDOR_ALIASES: readonly (readonly [RegExp, string])[] = [
  [/nvidia|geforce|quadro|tesla/, 'nvidia'],
  [/\bamd\b|advanced micro|\bati\b|radeon/, 'amd'],
  [/intel/, 'intel'],
  [/apple/, 'apple'],
  [/qualcomm|adreno/, 'qualcomm'],
  [/\barm\b|mali/, 'arm'],
  [/google|swiftshader/, 'google'],
  [/microsoft|warp/, 'microsoft'],
  [/mesa|llvmpipe/, 'mesa'],
  [/samsung|xclipse/, 'samsung'],
  [/img ?tec|imagination|powervr/, 'imgtec'],
];

/** A vendor name as one short lower-case word; falls back to scanning the device text. */
export function normaliseVendor(vendor: string | undefined, deviceText = ''): string {
  const own = (vendor ?? '').trim().toLowerCase();
  for (const text of [own, deviceText.toLowerCase()]) {
    if (text === '') continue;
    for (const [pattern, name] of VENDOR_ALIASES) if (pattern.test(text)) return name;
  }
  return own;
}

const SOFTWARE_ARCHITECTURES = new Set(['swiftshader', 'warp', 'software', 'llvmpipe']);
const SOFTWARE_TEXT = /swiftshader|llvmpipe|softpipe|\bwarp\b|basic render/i;
const MOBILE_VENDORS = new Set(['qualcomm', 'arm', 'samsung', 'imgtec']);
const NVIDIA_LAPTOP_TEXT = /laptop|max-q|mobile|\b\d{3,4}m\b/i;
const AMD_INTEGRATED_TEXT = /radeon(?:\(tm\))?\s+(?:\d{3}m\b|graphics)|\bvega \d\b|\bvega 1[01]\b/i;
const AMD_DISCRETE_TEXT = /\brx\b|pro w|radeon vii|instinct|vega (56|64)/i;
// Meteor Lake's integrated GPU is branded "Intel(R) Arc(TM) Graphics", without a model number.
const INTEL_ARC_INTEGRATED_TEXT = /arc(\(tm\))? (\d{3}[vt] )?graphics/i;

const byId = <T extends { id: string }>(rows: readonly T[], id: string): T => {
  const row = rows.find((r) => r.id === id);
  if (row === undefined) throw new Error(`No profile row with id ${id}`);
  return row;
};

/** A GPU row by id, for the picker; throws on an unknown id. */
export const gpuProfileById = (id: string): GpuProfile => byId(GPU_PROFILES, id);
/** A CPU row by id, for the picker; throws on an unknown id. */
export const cpuProfileById = (id: string): CpuProfile => byId(CPU_PROFILES, id);
/** A RAM row by id; throws on an unknown id. */
export const ramProfileById = (id: string): RamProfile => byId(RAM_PROFILES, id);

/**
 * A CPU row for a class and thread count. Desktops and workstations are told apart by threads
 * alone: more than 32 means a workstation row, 32 or fewer a desktop row.
 */
export function cpuProfileFor(cpuClass: CpuClass, threads: number): CpuProfile {
  const big = cpuClass === 'desktop' || cpuClass === 'workstation';
  const wanted: CpuClass = big ? (threads > 32 ? 'workstation' : 'desktop') : cpuClass;
  const row = CPU_PROFILES.find((r) => r.cpuClass === wanted && threads >= r.minThreads && threads <= r.maxThreads);
  return row ?? byId(CPU_PROFILES, 'cpu-desktop-medium');
}

/**
 * A GPU row from watts the user typed (idle and under full load). The same figures are used for
 * the low, typical and high ends, since the user vouches for them.
 */
export function customGpuProfile(label: string, idleWatts: number, maxWatts: number): GpuProfile {
  const idle = Math.max(0, idleWatts);
  const max = Math.max(idle, maxWatts);
  const bandOf = { idle: watts(idle), max: watts(max) };
  return {
    id: 'custom', component: 'gpu', vendor: '', architectures: [], form: 'discrete', label,
    power: { low: bandOf, typical: bandOf, high: bandOf },
    source: 'Entered by the user',
  };
}

function namedGpuProfile(vendor: string, text: string): GpuProfile | null {
  const hit = NAMED_GPU_MODELS.find((m) => m.pattern.test(text) && (vendor === '' || vendor === m.vendor));
  if (hit === undefined) return null;
  const power: PowerVariants = fromNamedTdp(hit.tdpWatts);
  return {
    id: `named:${hit.label}`, component: 'gpu', vendor: hit.vendor, architectures: [], form: 'discrete',
    label: hit.label, power,
    source: `${hit.source}: ${hit.tdpWatts} W, spread by NAMED_MODEL_SPREAD; idle assumed at IDLE_SHARE of maximum`,
  };
}

const rangeText = (p: PowerVariants): string =>
  p.low.max === p.high.max ? `${fmt(p.typical.max)} W` : `${fmt(p.low.max)}-${fmt(p.high.max)} W, typically ${fmt(p.typical.max)} W`;
const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

interface GpuChoice {
  readonly gpu: GpuProfile;
  readonly sharing: PackageSharing;
  readonly confidence: MatchConfidence;
  /** Class to use for the CPU row when the GPU does not include it. */
  readonly cpuClass: CpuClass | null;
  readonly why: string;
}

/** What the adapter says, normalised once for the rules below. */
interface AdapterWords {
  readonly adapter: AdapterDescription;
  readonly text: string;
  readonly vendor: string;
  readonly arch: string;
  readonly archWords: string;
  readonly threads: number;
  readonly byArch: GpuProfile | undefined;
}

function chooseGpu(adapter: AdapterDescription | null, threads: number): GpuChoice {
  if (adapter === null) {
    return {
      gpu: gpuProfileById('no-gpu'), sharing: 'cpu-includes-gpu', confidence: 'guess', cpuClass: null,
      why: 'The browser offered no WebGPU adapter, so training runs on the CPU and all power is counted there.',
    };
  }
  const text = `${adapter.device ?? ''} ${adapter.description ?? ''}`.trim();
  const vendor = normaliseVendor(adapter.vendor, text);
  const arch = normaliseArchitecture(adapter.architecture);
  const archWords = adapter.architecture !== undefined && adapter.architecture !== '' ? ` "${adapter.architecture}"` : '';

  if (SOFTWARE_ARCHITECTURES.has(arch) || SOFTWARE_TEXT.test(text) || (vendor === 'mesa' && arch === '')) {
    return {
      gpu: gpuProfileById('software-gpu'), sharing: 'cpu-includes-gpu', confidence: 'architecture', cpuClass: null,
      why: `The adapter is a software GPU${archWords} that runs on the CPU, so all power is counted in the CPU row.`,
    };
  }
  if (vendor === 'apple' || arch.startsWith('metal') || arch.startsWith('common') || arch.startsWith('apple')) return chooseApple(threads, archWords);
  const byArch = GPU_PROFILES.find((r) => arch !== '' && r.architectures.includes(arch) && (r.vendor === '' || r.vendor === vendor || vendor === ''));
  const words: AdapterWords = { adapter, text, vendor, arch, archWords, threads, byArch };
  const named = chooseNamed(words);
  if (named) return named;
  if (vendor === 'nvidia') return chooseNvidia(words);
  if (vendor === 'amd') return chooseAmd(words);
  if (vendor === 'intel') return chooseIntel(words);
  return chooseOther(words);
}

function chooseApple(threads: number, archWords: string): GpuChoice {
  const id = threads >= 17 ? 'apple-m-ultra' : threads >= 9 ? 'apple-m-pro-max' : 'apple-m-base';
  const tier = id === 'apple-m-ultra' ? 'an Ultra chip' : id === 'apple-m-pro-max' ? 'a Pro or Max chip' : 'a base M-series chip';
  return {
    gpu: gpuProfileById(id), sharing: 'gpu-includes-cpu', confidence: 'vendor', cpuClass: null,
    why:
      `The browser reports Apple graphics${archWords}, which every Apple Silicon Mac reports alike; ` +
      `${threads} CPU threads suggest ${tier}. Apple publishes power for whole machines only, so the ` +
      'figure covers CPU, GPU and memory together (Safari reports at most 8 threads, so a larger chip may look like a base one).',
  };
}

function chooseNamed({ vendor, text }: AdapterWords): GpuChoice | null {
  const named = namedGpuProfile(vendor, text);
  const nvidiaLaptop = vendor === 'nvidia' && NVIDIA_LAPTOP_TEXT.test(text);
  if (named === null || nvidiaLaptop) return null;
  return {
    gpu: named, sharing: 'separate', confidence: 'named-model',
    cpuClass: /H100|H200|A100|V100|T4|L4/i.test(named.label) ? 'workstation' : 'desktop',
    why: `The browser names the GPU ("${text}"), matched to ${named.label} at ${named.power.typical.max} W board power.`,
  };
}

function chooseNvidia({ text, archWords, byArch }: AdapterWords): GpuChoice {
  const nvidiaLaptop = NVIDIA_LAPTOP_TEXT.test(text);
  if (nvidiaLaptop) {
    return {
      gpu: gpuProfileById('nvidia-laptop'), sharing: 'separate', confidence: 'vendor', cpuClass: 'laptop',
      why: `The GPU is named as an NVIDIA laptop part ("${text}"); laptop GPUs run at a lower power limit than desktop cards.`,
    };
  }
  if (byArch !== undefined) {
    return {
      gpu: byArch, sharing: 'separate', confidence: 'architecture',
      cpuClass: byArch.id === 'nvidia-hopper' ? 'workstation' : 'desktop',
      why:
        `The browser reports an NVIDIA GPU of the${archWords} generation without a model name, so the range covers that ` +
        `generation's desktop cards (${rangeText(byArch.power)}). A laptop GPU would use less: pick "NVIDIA laptop GPU" if so.`,
    };
  }
  return {
    gpu: gpuProfileById('nvidia-unknown'), sharing: 'separate', confidence: 'vendor', cpuClass: 'desktop',
    why: 'The browser reports an NVIDIA GPU but not its generation, so the range spans entry to high-end cards.',
  };
}

function chooseAmd({ text, archWords, byArch }: AdapterWords): GpuChoice {
  if (AMD_INTEGRATED_TEXT.test(text) && !AMD_DISCRETE_TEXT.test(text)) {
    return {
      gpu: gpuProfileById('amd-integrated'), sharing: 'gpu-includes-cpu', confidence: 'vendor', cpuClass: null,
      why: `The GPU is named as AMD integrated graphics ("${text}"), which shares one package with the CPU.`,
    };
  }
  if (byArch !== undefined) {
    return {
      gpu: byArch, sharing: 'separate', confidence: 'architecture', cpuClass: 'desktop',
      why:
        `The browser reports an AMD GPU of the${archWords} generation without a model name, so the range covers that ` +
        `generation's desktop cards (${rangeText(byArch.power)}). AMD laptops often have integrated Radeon graphics of ` +
        'the same generation: pick "AMD Ryzen processor with integrated Radeon graphics" if your computer has no separate graphics card.',
    };
  }
  return {
    gpu: gpuProfileById('amd-unknown'), sharing: 'separate', confidence: 'vendor', cpuClass: 'desktop',
    why: 'The browser reports an AMD GPU but not its generation, so the range spans entry to high-end cards.',
  };
}

function chooseIntel({ text, archWords, byArch }: AdapterWords): GpuChoice {
  const row = INTEL_ARC_INTEGRATED_TEXT.test(text) && byArch === undefined ? gpuProfileById('intel-xe-lpg') : byArch;
  if (row !== undefined && row.form === 'discrete') {
    return {
      gpu: row, sharing: 'separate', confidence: 'architecture', cpuClass: 'desktop',
      why: `The browser reports an Intel Arc discrete GPU${archWords} (${rangeText(row.power)} board power).`,
    };
  }
  if (row !== undefined) {
    return {
      gpu: row, sharing: 'gpu-includes-cpu', confidence: 'architecture', cpuClass: null,
      why:
        `The browser reports Intel integrated graphics${archWords}, part of the same processor package as the CPU, ` +
        `so one package figure covers both (${rangeText(row.power)}).`,
    };
  }
  return {
    gpu: gpuProfileById('intel-unknown'), sharing: 'gpu-includes-cpu', confidence: 'vendor', cpuClass: null,
    why: `The browser reports Intel graphics${archWords} of an unrecognised generation; assumed integrated, sharing the CPU package.`,
  };
}

function chooseOther({ adapter, vendor, archWords, byArch }: AdapterWords): GpuChoice {
  if (MOBILE_VENDORS.has(vendor) || byArch?.id === 'mobile-soc') {
    return {
      gpu: gpuProfileById('mobile-soc'), sharing: 'gpu-includes-cpu', confidence: 'vendor', cpuClass: null,
      why: `The browser reports ${vendor === '' ? 'a mobile GPU' : `a ${vendor} GPU`}${archWords}, part of a phone, tablet or ARM system-on-chip.`,
    };
  }

  return {
    gpu: gpuProfileById('gpu-unknown'), sharing: 'separate', confidence: 'guess', cpuClass: 'desktop',
    why: `The browser reports a GPU the lab does not recognise (vendor "${adapter.vendor ?? ''}"${archWords}); the range spans small to large cards.`,
  };
}

/**
 * Pick a device profile from WebGPU adapter info, `navigator.hardwareConcurrency` and, if known,
 * `navigator.deviceMemory`. Matching is loose: Chrome often fills only vendor and architecture, and
 * every Apple Silicon Mac reports the same architecture. Pure; `adapter` null means no adapter.
 */
export function matchProfile(
  adapter: AdapterDescription | null,
  hardwareConcurrency: number,
  memoryGB?: number,
): ProfileMatch {
  const threadsKnown = Number.isFinite(hardwareConcurrency) && hardwareConcurrency >= 1;
  const threads = threadsKnown ? Math.round(hardwareConcurrency) : DEFAULT_THREADS;
  const memoryKnown = memoryGB !== undefined && Number.isFinite(memoryGB) && memoryGB > 0;
  const memory = memoryKnown ? memoryGB : DEFAULT_MEMORY_GB;

  const choice = chooseGpu(adapter, threads);
  const cpuClass: CpuClass = choice.cpuClass ?? (threads > 32 ? 'workstation' : threads > 8 ? 'desktop' : 'laptop');
  const cpu = choice.sharing === 'gpu-includes-cpu' ? cpuProfileById('cpu-in-soc') : cpuProfileFor(cpuClass, threads);
  const ram = choice.gpu.form === 'soc' ? ramProfileById('ram-in-soc') : ramProfileById('ram-dram');

  const parts = [choice.why];
  if (choice.sharing !== 'gpu-includes-cpu') {
    const classWords = choice.cpuClass === null ? ' (class guessed from the thread count)' : '';
    parts.push(`CPU: ${threads} threads${threadsKnown ? '' : ' (assumed; the browser did not say)'}, ${cpu.label.toLowerCase()}${classWords}.`);
  }
  if (ram.id === 'ram-dram') {
    parts.push(
      memoryKnown
        ? `Memory: ${fmt(memory)} GB as the browser reports it (Chrome reports at most 8 GB).`
        : `Memory: ${DEFAULT_MEMORY_GB} GB assumed; the browser did not say.`,
    );
  }
  return {
    profile: { gpu: choice.gpu, cpu, ram, sharing: choice.sharing, logicalCores: threads, memoryGB: memory },
    reason: parts.join(' '),
    confidence: threadsKnown ? choice.confidence : 'guess',
  };
}
