import { watts } from '../units';
import type { CpuProfile, GpuProfile, PowerBand, PowerVariants, RamProfile, Variant } from './profile-types';

/**
 * Idle power as a share of maximum power, for rows where the source gives only a TDP or board
 * power. Project assumption, not a vendor figure: card-only idle readings in GPU reviews
 * (hwbusters.com and TechPowerUp measure the card alone) sit around 5-20 W for desktop cards of
 * 100-450 W, and laptop CPU packages idle at a few watts against 15-45 W TDPs.
 */
export const IDLE_SHARE: Readonly<Record<Variant, number>> = { low: 0.05, typical: 0.1, high: 0.15 };

/**
 * For a row matched to one named model with one TDP: low and high maxima as a share of it.
 * Project assumption: sustained compute usually stays under the board limit, while boost
 * behaviour and board-partner limits can exceed the reference figure for a while.
 */
export const NAMED_MODEL_SPREAD: Readonly<Record<Variant, number>> = { low: 0.8, typical: 1, high: 1.1 };

const band = (idle: number, max: number): PowerBand => ({ idle: watts(idle), max: watts(max) });

/** Variants from three maximum powers, idle taken as IDLE_SHARE of each. */
export const fromMaxima = (low: number, typical: number, high: number): PowerVariants => ({
  low: band(low * IDLE_SHARE.low, low),
  typical: band(typical * IDLE_SHARE.typical, typical),
  high: band(high * IDLE_SHARE.high, high),
});

/** Variants around one named model's TDP, spread by NAMED_MODEL_SPREAD. */
export const fromNamedTdp = (tdp: number): PowerVariants =>
  fromMaxima(tdp * NAMED_MODEL_SPREAD.low, tdp * NAMED_MODEL_SPREAD.typical, tdp * NAMED_MODEL_SPREAD.high);

const ZERO: PowerVariants = { low: band(0, 0), typical: band(0, 0), high: band(0, 0) };

const NVIDIA_SPECS = 'NVIDIA GeForce product specification pages (total graphics power)';
const AMD_SPECS = 'AMD Radeon product specification pages (typical board power)';
const INTEL_ARK = 'Intel ARK product pages (processor base power / TDP)';
const GREEN_ALGORITHMS_GPU =
  'Green Algorithms TDP table, github.com/GreenAlgorithms/green-algorithms-tool data/latest/TDP_gpu.csv';
const GREEN_ALGORITHMS_CPU =
  'Green Algorithms TDP table, github.com/GreenAlgorithms/green-algorithms-tool data/latest/TDP_cpu.csv';
const APPLE_MAC_MINI = 'Apple, "Mac mini power consumption and thermal output (BTU) information" (support.apple.com)';
const APPLE_MAC_STUDIO = 'Apple, "Mac Studio power consumption and thermal output (BTU) information" (support.apple.com/102027)';
const IDLE_NOTE = 'idle assumed at IDLE_SHARE of maximum';

/** GPU rows by vendor and architecture. The first row whose vendor and architecture match wins. */
export const GPU_PROFILES: readonly GpuProfile[] = [
  // NVIDIA discrete, desktop boards. Laptop and datacenter parts have their own rows below.
  {
    id: 'nvidia-blackwell', component: 'gpu', vendor: 'nvidia', architectures: ['blackwell'], form: 'discrete',
    label: 'NVIDIA Blackwell desktop GPU (GeForce RTX 50 series)',
    power: fromMaxima(145, 250, 575),
    source: `${NVIDIA_SPECS}: RTX 5060 145 W, RTX 5070 250 W, RTX 5090 575 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-lovelace', component: 'gpu', vendor: 'nvidia', architectures: ['lovelace', 'ada', 'adalovelace'], form: 'discrete',
    label: 'NVIDIA Ada Lovelace desktop GPU (GeForce RTX 40 series)',
    power: fromMaxima(115, 200, 450),
    source: `${NVIDIA_SPECS}: RTX 4060 115 W, RTX 4070 200 W, RTX 4090 450 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-ampere', component: 'gpu', vendor: 'nvidia', architectures: ['ampere'], form: 'discrete',
    label: 'NVIDIA Ampere desktop GPU (GeForce RTX 30 series)',
    power: fromMaxima(130, 170, 350),
    source: `${NVIDIA_SPECS}: RTX 3050 130 W, RTX 3060 170 W, RTX 3090 350 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-turing', component: 'gpu', vendor: 'nvidia', architectures: ['turing'], form: 'discrete',
    label: 'NVIDIA Turing desktop GPU (GeForce GTX 16 / RTX 20 series)',
    power: fromMaxima(75, 160, 250),
    source: `${NVIDIA_SPECS}: GTX 1650 75 W, RTX 2060 160 W; ${GREEN_ALGORITHMS_GPU}: RTX 2080 Ti 250 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-pascal', component: 'gpu', vendor: 'nvidia', architectures: ['pascal'], form: 'discrete',
    label: 'NVIDIA Pascal desktop GPU (GeForce GTX 10 series)',
    power: fromMaxima(75, 120, 250),
    source: `${NVIDIA_SPECS}: GTX 1050 Ti 75 W, GTX 1060 120 W; ${GREEN_ALGORITHMS_GPU}: GTX 1080 Ti 250 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-maxwell', component: 'gpu', vendor: 'nvidia', architectures: ['maxwell'], form: 'discrete',
    label: 'NVIDIA Maxwell desktop GPU (GeForce GTX 750-980)',
    power: fromMaxima(60, 145, 250),
    source: `${NVIDIA_SPECS}: GTX 750 Ti 60 W, GTX 970 145 W; ${GREEN_ALGORITHMS_GPU}: GTX TITAN X 250 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-kepler', component: 'gpu', vendor: 'nvidia', architectures: ['kepler', 'fermi'], form: 'discrete',
    label: 'NVIDIA Kepler or older desktop GPU (GeForce GTX 600/700)',
    power: fromMaxima(64, 170, 250),
    source: `${NVIDIA_SPECS}: GTX 650 64 W, GTX 760 170 W, GTX 780 Ti 250 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-hopper', component: 'gpu', vendor: 'nvidia', architectures: ['hopper'], form: 'discrete',
    label: 'NVIDIA Hopper datacenter GPU (H100, H200)',
    power: fromMaxima(350, 600, 700),
    source: 'NVIDIA H100 and H200 datasheets: H100 PCIe 350 W, H200 NVL 600 W, H100/H200 SXM 700 W; ' + IDLE_NOTE,
  },
  {
    id: 'nvidia-laptop', component: 'gpu', vendor: 'nvidia', architectures: [], form: 'discrete',
    label: 'NVIDIA laptop GPU (GeForce RTX Laptop GPU)',
    power: fromMaxima(35, 80, 150),
    source: `${NVIDIA_SPECS}: RTX 4050/4060 Laptop GPU 35-115 W, RTX 4090 Laptop GPU 80-150 W; ${IDLE_NOTE}`,
  },
  {
    id: 'nvidia-unknown', component: 'gpu', vendor: 'nvidia', architectures: [], form: 'discrete',
    label: 'NVIDIA GPU, model unknown',
    power: fromMaxima(75, 200, 450),
    source: `${GREEN_ALGORITHMS_GPU}: "Any" GPU 200 W; range spans GTX 1650 75 W to RTX 4090 450 W (${NVIDIA_SPECS}); ${IDLE_NOTE}`,
  },
  {
    id: 'gpu-unknown', component: 'gpu', vendor: '', architectures: [], form: 'discrete',
    label: 'GPU of unknown make',
    power: fromMaxima(75, 200, 450),
    source: `${GREEN_ALGORITHMS_GPU}: "Any" GPU 200 W; range spans a 75 W card to a 450 W RTX 4090 (${NVIDIA_SPECS}); ${IDLE_NOTE}`,
  },
  // AMD discrete.
  {
    id: 'amd-rdna-4', component: 'gpu', vendor: 'amd', architectures: ['rdna4'], form: 'discrete',
    label: 'AMD RDNA 4 desktop GPU (Radeon RX 9000 series)',
    power: fromMaxima(150, 220, 304),
    source: `${AMD_SPECS}: RX 9060 XT 150 W, RX 9070 220 W, RX 9070 XT 304 W; ${IDLE_NOTE}`,
  },
  {
    id: 'amd-rdna-3', component: 'gpu', vendor: 'amd', architectures: ['rdna3', 'rdna35'], form: 'discrete',
    label: 'AMD RDNA 3 desktop GPU (Radeon RX 7000 series)',
    power: fromMaxima(165, 263, 355),
    source: `${AMD_SPECS}: RX 7600 165 W, RX 7800 XT 263 W, RX 7900 XTX 355 W; ${IDLE_NOTE}`,
  },
  {
    id: 'amd-rdna-2', component: 'gpu', vendor: 'amd', architectures: ['rdna2'], form: 'discrete',
    label: 'AMD RDNA 2 desktop GPU (Radeon RX 6000 series)',
    power: fromMaxima(107, 230, 300),
    source: `${AMD_SPECS}: RX 6500 XT 107 W, RX 6700 XT 230 W, RX 6900 XT 300 W; ${IDLE_NOTE}`,
  },
  {
    id: 'amd-rdna-1', component: 'gpu', vendor: 'amd', architectures: ['rdna1'], form: 'discrete',
    label: 'AMD RDNA 1 desktop GPU (Radeon RX 5000 series)',
    power: fromMaxima(130, 180, 225),
    source: `${AMD_SPECS}: RX 5500 XT 130 W, RX 5700 180 W, RX 5700 XT 225 W; ${IDLE_NOTE}`,
  },
  {
    id: 'amd-gcn-5', component: 'gpu', vendor: 'amd', architectures: ['gcn5'], form: 'discrete',
    label: 'AMD GCN 5 desktop GPU (Radeon RX Vega, Radeon VII)',
    power: fromMaxima(210, 210, 300),
    source: `${AMD_SPECS}: RX Vega 56 210 W, Radeon VII 300 W; ${IDLE_NOTE}`,
  },
  {
    id: 'amd-gcn-legacy', component: 'gpu', vendor: 'amd', architectures: ['gcn1', 'gcn2', 'gcn3', 'gcn4'], form: 'discrete',
    label: 'AMD GCN 1-4 desktop GPU (Radeon R7/R9, RX 400/500)',
    power: fromMaxima(75, 150, 275),
    source: `${AMD_SPECS}: RX 460 75 W, R9 290 275 W; ${GREEN_ALGORITHMS_GPU}: RX 480 150 W; ${IDLE_NOTE}`,
  },
  {
    id: 'amd-unknown', component: 'gpu', vendor: 'amd', architectures: [], form: 'discrete',
    label: 'AMD GPU, model unknown',
    power: fromMaxima(75, 200, 355),
    source: `${GREEN_ALGORITHMS_GPU}: "Any" GPU 200 W; range spans RX 460 75 W to RX 7900 XTX 355 W (${AMD_SPECS}); ${IDLE_NOTE}`,
  },
  // AMD integrated graphics (APUs): the row is the whole APU package, which the CPU shares.
  {
    id: 'amd-integrated', component: 'gpu', vendor: 'amd', architectures: [], form: 'integrated',
    label: 'AMD Ryzen processor with integrated Radeon graphics (CPU and GPU share one package)',
    power: fromMaxima(15, 28, 54),
    source: 'AMD Ryzen product pages (default TDP): Ryzen 7 5800U 15 W, Ryzen 7 7840U 28 W, Ryzen 7 7840HS 54 W (cTDP max); ' + IDLE_NOTE,
  },
  // Intel discrete (Arc).
  {
    id: 'intel-arc-alchemist', component: 'gpu', vendor: 'intel', architectures: ['gen12hp', 'xehpg'], form: 'discrete',
    label: 'Intel Arc A-series discrete GPU (Alchemist)',
    power: fromMaxima(75, 225, 225),
    source: 'Intel ARK (total board power): Arc A380 75 W, Arc A750 225 W, Arc A770 225 W; ' + IDLE_NOTE,
  },
  {
    id: 'intel-arc-battlemage', component: 'gpu', vendor: 'intel', architectures: ['xe2hpg'], form: 'discrete',
    label: 'Intel Arc B-series discrete GPU (Battlemage)',
    power: fromMaxima(150, 190, 190),
    source: 'Intel ARK (total board power): Arc B570 150 W, Arc B580 190 W; ' + IDLE_NOTE,
  },
  // Intel integrated: the row is the whole processor package, which the CPU shares.
  {
    id: 'intel-xe2-lpg', component: 'gpu', vendor: 'intel', architectures: ['xe2lpg', 'xe3lpg'], form: 'integrated',
    label: 'Intel Core Ultra 200V with Arc graphics (Lunar Lake; one package)',
    power: fromMaxima(8, 17, 37),
    source: `${INTEL_ARK}: Core Ultra 7 258V minimum assured 8 W, base 17 W, maximum turbo 37 W; ${IDLE_NOTE}`,
  },
  {
    id: 'intel-xe-lpg', component: 'gpu', vendor: 'intel', architectures: ['xelpg', 'xelpgplus'], form: 'integrated',
    label: 'Intel Core Ultra with Arc graphics (Meteor Lake / Arrow Lake; one package)',
    power: fromMaxima(15, 28, 45),
    source: `${INTEL_ARK}: Core Ultra 5 125U 15 W, Core Ultra 7 155H 28 W, Core Ultra 9 185H 45 W; ${IDLE_NOTE}`,
  },
  {
    id: 'intel-gen-12lp', component: 'gpu', vendor: 'intel', architectures: ['gen12lp', 'gen13lp', 'xelp'], form: 'integrated',
    label: 'Intel Core 11th-14th gen with Iris Xe / UHD graphics (one package)',
    power: fromMaxima(15, 28, 45),
    source: `${INTEL_ARK}: Core i5-1235U 15 W, Core i7-1165G7 28 W, Core i7-12700H 45 W; ${IDLE_NOTE}`,
  },
  {
    id: 'intel-gen-11', component: 'gpu', vendor: 'intel', architectures: ['gen11'], form: 'integrated',
    label: 'Intel Core 10th gen "Ice Lake" with Iris Plus graphics (one package)',
    power: fromMaxima(9, 15, 25),
    source: `${INTEL_ARK}: Core i5-1035G1 15 W (configurable down to 13 W), Core i7-1065G7 15 W (configurable up to 25 W), Core i3-1005G1 15 W; low from Core i7-1060G7 9 W; ${IDLE_NOTE}`,
  },
  {
    id: 'intel-gen-9', component: 'gpu', vendor: 'intel', architectures: ['gen9', 'gen95'], form: 'integrated',
    label: 'Intel Core 6th-10th gen with HD / UHD 6xx graphics (one package)',
    power: fromMaxima(15, 15, 65),
    source: `${INTEL_ARK}: Core i5-8250U 15 W; ${GREEN_ALGORITHMS_CPU}: Core i5-9400 65 W (desktop, UHD 630); ${IDLE_NOTE}`,
  },
  {
    id: 'intel-gen-legacy', component: 'gpu', vendor: 'intel', architectures: ['gen7', 'gen75', 'gen8'], form: 'integrated',
    label: 'Intel Core 3rd-5th gen with HD graphics (one package)',
    power: fromMaxima(15, 28, 84),
    source: `${INTEL_ARK}: Core i5-5200U 15 W, Core i5-4288U 28 W; ${GREEN_ALGORITHMS_CPU}: Core i5-4460 84 W; ${IDLE_NOTE}`,
  },
  {
    id: 'intel-unknown', component: 'gpu', vendor: 'intel', architectures: [], form: 'integrated',
    label: 'Intel integrated graphics, generation unknown (one package)',
    power: fromMaxima(15, 28, 65),
    source: `${INTEL_ARK}: Core i5-8250U 15 W, Core i7-1165G7 28 W; ${GREEN_ALGORITHMS_CPU}: Core i5-9400 65 W; ${IDLE_NOTE}`,
  },
  // Apple Silicon. Apple publishes idle and maximum wall power for whole desktop Macs; the row is
  // the whole machine (SoC with CPU, GPU and memory, plus SSD and power-supply losses), so the CPU
  // and RAM rows are zero for these. Chips are told apart only by thread count.
  {
    id: 'apple-m-base', component: 'gpu', vendor: 'apple', architectures: [], form: 'soc',
    label: 'Apple M-series chip (M1/M2/M3/M4; whole machine)',
    power: {
      low: band(6.8, 39),
      typical: band(7, 50),
      high: band(5, 65),
    },
    source: `${APPLE_MAC_MINI}: M1 (2020) idle 6.8 W / max 39 W, M2 (2023) idle 7 W / max 50 W, M4 (2024) max 65 W; M4 idle 5 W measured by ServeTheHome's M4 Mac mini review`,
  },
  {
    id: 'apple-m-pro-max', component: 'gpu', vendor: 'apple', architectures: [], form: 'soc',
    label: 'Apple M-series Pro or Max chip (whole machine)',
    power: {
      low: band(5, 65),
      typical: band(11, 115),
      high: band(9, 145),
    },
    source: `${APPLE_MAC_STUDIO}: M1 Max idle 11 W / max 115 W, M2 Max idle 9 W / max 145 W; low end from ${APPLE_MAC_MINI} M4 max 65 W`,
  },
  {
    id: 'apple-m-ultra', component: 'gpu', vendor: 'apple', architectures: [], form: 'soc',
    label: 'Apple M-series Ultra chip (whole machine)',
    power: {
      low: band(11, 115),
      typical: band(13, 215),
      high: band(10, 295),
    },
    source: `${APPLE_MAC_STUDIO}: M1 Max idle 11 W / max 115 W, M1 Ultra idle 13 W / max 215 W, M2 Ultra idle 10 W / max 295 W`,
  },
  // Phones, tablets and ARM laptops: one SoC package.
  {
    id: 'mobile-soc', component: 'gpu', vendor: '', architectures: ['adreno4xx', 'adreno5xx', 'adreno6xx', 'adreno7xx', 'adreno8xx', 'midgard', 'bifrost', 'valhall'], form: 'soc',
    label: 'Phone, tablet or ARM SoC (Qualcomm Adreno, Arm Mali; one package)',
    power: fromMaxima(3, 6, 12),
    source: 'Project assumption, no vendor publishes sustained SoC power: phone SoCs throttle to roughly 3-6 W sustained, tablets and ARM laptops run higher; ' + IDLE_NOTE,
  },
  // No hardware GPU: software rasterisers run the "GPU" work on the CPU.
  {
    id: 'software-gpu', component: 'gpu', vendor: '', architectures: ['swiftshader', 'warp', 'software', 'llvmpipe'], form: 'software',
    label: 'Software GPU on the CPU (SwiftShader, WARP, llvmpipe): counted in the CPU row',
    power: ZERO,
    source: 'Not a device: SwiftShader (Google), WARP (Microsoft) and llvmpipe (Mesa) implement the GPU API on CPU cores',
  },
  {
    id: 'no-gpu', component: 'gpu', vendor: '', architectures: [], form: 'none',
    label: 'No GPU adapter: training runs on the CPU',
    power: ZERO,
    source: 'Not a device: without a WebGPU adapter the model trains on CPU backends (WebAssembly or plain JavaScript)',
  },
];

/** Named discrete models recognised in the adapter's `device` or `description`, with their TDP. */
export interface NamedGpuModel {
  /** Matched case-insensitively against `device` and `description`. */
  readonly pattern: RegExp;
  readonly vendor: string;
  readonly label: string;
  readonly tdpWatts: number;
  readonly source: string;
}

/** Named models, most specific first; a hit makes the GPU row exact instead of generational. */
export const NAMED_GPU_MODELS: readonly NamedGpuModel[] = [
  { pattern: /\bH200\b/i, vendor: 'nvidia', label: 'NVIDIA H200 (SXM)', tdpWatts: 700, source: 'NVIDIA H200 datasheet: SXM up to 700 W' },
  { pattern: /\bH100\b.*PCIe/i, vendor: 'nvidia', label: 'NVIDIA H100 PCIe', tdpWatts: 350, source: 'NVIDIA H100 datasheet: PCIe 300-350 W' },
  { pattern: /\bH100\b/i, vendor: 'nvidia', label: 'NVIDIA H100 (SXM)', tdpWatts: 700, source: 'NVIDIA H100 datasheet: SXM up to 700 W' },
  { pattern: /\bA100\b.*80\s*GB/i, vendor: 'nvidia', label: 'NVIDIA A100 80GB PCIe', tdpWatts: 300, source: GREEN_ALGORITHMS_GPU },
  { pattern: /\bA100\b/i, vendor: 'nvidia', label: 'NVIDIA A100 40GB PCIe', tdpWatts: 250, source: GREEN_ALGORITHMS_GPU },
  { pattern: /\bV100S\b/i, vendor: 'nvidia', label: 'NVIDIA Tesla V100S', tdpWatts: 250, source: GREEN_ALGORITHMS_GPU },
  { pattern: /\bV100\b/i, vendor: 'nvidia', label: 'NVIDIA Tesla V100', tdpWatts: 300, source: GREEN_ALGORITHMS_GPU },
  { pattern: /\bT4\b/i, vendor: 'nvidia', label: 'NVIDIA Tesla T4', tdpWatts: 70, source: GREEN_ALGORITHMS_GPU },
  { pattern: /\bL4\b/i, vendor: 'nvidia', label: 'NVIDIA L4', tdpWatts: 72, source: 'NVIDIA L4 datasheet: 72 W' },
  { pattern: /RTX\s*5090/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 5090', tdpWatts: 575, source: NVIDIA_SPECS },
  { pattern: /RTX\s*5080/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 5080', tdpWatts: 360, source: NVIDIA_SPECS },
  { pattern: /RTX\s*5070/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 5070', tdpWatts: 250, source: NVIDIA_SPECS },
  { pattern: /RTX\s*5060/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 5060', tdpWatts: 145, source: NVIDIA_SPECS },
  { pattern: /RTX\s*4090/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 4090', tdpWatts: 450, source: NVIDIA_SPECS },
  { pattern: /RTX\s*4080/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 4080', tdpWatts: 320, source: NVIDIA_SPECS },
  { pattern: /RTX\s*4070/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 4070', tdpWatts: 200, source: NVIDIA_SPECS },
  { pattern: /RTX\s*4060/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 4060', tdpWatts: 115, source: NVIDIA_SPECS },
  { pattern: /RTX\s*3090/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 3090', tdpWatts: 350, source: NVIDIA_SPECS },
  { pattern: /RTX\s*3080/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 3080', tdpWatts: 320, source: NVIDIA_SPECS },
  { pattern: /RTX\s*3070/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 3070', tdpWatts: 220, source: NVIDIA_SPECS },
  { pattern: /RTX\s*3060/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 3060', tdpWatts: 170, source: NVIDIA_SPECS },
  { pattern: /RTX\s*3050/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 3050', tdpWatts: 130, source: NVIDIA_SPECS },
  { pattern: /RTX\s*2080\s*Ti/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 2080 Ti', tdpWatts: 250, source: GREEN_ALGORITHMS_GPU },
  { pattern: /RTX\s*2080/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 2080', tdpWatts: 215, source: GREEN_ALGORITHMS_GPU },
  { pattern: /RTX\s*2060/i, vendor: 'nvidia', label: 'NVIDIA GeForce RTX 2060', tdpWatts: 160, source: NVIDIA_SPECS },
  { pattern: /GTX\s*1080\s*Ti/i, vendor: 'nvidia', label: 'NVIDIA GeForce GTX 1080 Ti', tdpWatts: 250, source: GREEN_ALGORITHMS_GPU },
  { pattern: /GTX\s*1080/i, vendor: 'nvidia', label: 'NVIDIA GeForce GTX 1080', tdpWatts: 180, source: GREEN_ALGORITHMS_GPU },
  { pattern: /GTX\s*1060/i, vendor: 'nvidia', label: 'NVIDIA GeForce GTX 1060', tdpWatts: 120, source: NVIDIA_SPECS },
  { pattern: /GTX\s*1650/i, vendor: 'nvidia', label: 'NVIDIA GeForce GTX 1650', tdpWatts: 75, source: NVIDIA_SPECS },
  { pattern: /RX\s*9070\s*XT/i, vendor: 'amd', label: 'AMD Radeon RX 9070 XT', tdpWatts: 304, source: AMD_SPECS },
  { pattern: /RX\s*9070/i, vendor: 'amd', label: 'AMD Radeon RX 9070', tdpWatts: 220, source: AMD_SPECS },
  { pattern: /RX\s*7900\s*XTX/i, vendor: 'amd', label: 'AMD Radeon RX 7900 XTX', tdpWatts: 355, source: AMD_SPECS },
  { pattern: /RX\s*7800\s*XT/i, vendor: 'amd', label: 'AMD Radeon RX 7800 XT', tdpWatts: 263, source: AMD_SPECS },
  { pattern: /RX\s*7600/i, vendor: 'amd', label: 'AMD Radeon RX 7600', tdpWatts: 165, source: AMD_SPECS },
  { pattern: /RX\s*6900\s*XT/i, vendor: 'amd', label: 'AMD Radeon RX 6900 XT', tdpWatts: 300, source: AMD_SPECS },
  { pattern: /RX\s*6700\s*XT/i, vendor: 'amd', label: 'AMD Radeon RX 6700 XT', tdpWatts: 230, source: AMD_SPECS },
  { pattern: /RX\s*480/i, vendor: 'amd', label: 'AMD Radeon RX 480', tdpWatts: 150, source: GREEN_ALGORITHMS_GPU },
  { pattern: /Arc.*A770/i, vendor: 'intel', label: 'Intel Arc A770', tdpWatts: 225, source: 'Intel ARK: total board power 225 W' },
  { pattern: /Arc.*A380/i, vendor: 'intel', label: 'Intel Arc A380', tdpWatts: 75, source: 'Intel ARK: total board power 75 W' },
  { pattern: /Arc.*B580/i, vendor: 'intel', label: 'Intel Arc B580', tdpWatts: 190, source: 'Intel ARK: total board power 190 W' },
];

/** CPU rows by class and thread count. */
export const CPU_PROFILES: readonly CpuProfile[] = [
  {
    id: 'cpu-laptop-small', component: 'cpu', cpuClass: 'laptop', minThreads: 1, maxThreads: 8,
    label: 'Laptop processor, up to 8 threads',
    power: fromMaxima(15, 15, 28),
    source: `${INTEL_ARK}: Core i5-8250U 15 W (4 cores, 8 threads), Core i7-1165G7 up to 28 W; ${IDLE_NOTE}`,
  },
  {
    id: 'cpu-laptop-medium', component: 'cpu', cpuClass: 'laptop', minThreads: 9, maxThreads: 16,
    label: 'Laptop processor, 9-16 threads',
    power: fromMaxima(15, 28, 45),
    source: `AMD Ryzen 7 5800U 15 W (16 threads); ${INTEL_ARK}: Core i7-1260P 28 W (16 threads); AMD Ryzen 7 6800H 45 W (16 threads); ${IDLE_NOTE}`,
  },
  {
    id: 'cpu-laptop-large', component: 'cpu', cpuClass: 'laptop', minThreads: 17, maxThreads: 1024,
    label: 'Laptop processor, more than 16 threads',
    power: fromMaxima(28, 45, 55),
    source: `${INTEL_ARK}: Core Ultra 7 155H 28 W (22 threads), Core i7-12700H 45 W (20 threads), Core i9-13980HX 55 W (32 threads); ${IDLE_NOTE}`,
  },
  {
    id: 'cpu-desktop-small', component: 'cpu', cpuClass: 'desktop', minThreads: 1, maxThreads: 8,
    label: 'Desktop processor, up to 8 threads',
    power: fromMaxima(35, 65, 95),
    source: `${GREEN_ALGORITHMS_CPU}: Athlon 3000G 35 W, Core i3-10100 65 W, Core i7-6700K 95 W; ${IDLE_NOTE}`,
  },
  {
    id: 'cpu-desktop-medium', component: 'cpu', cpuClass: 'desktop', minThreads: 9, maxThreads: 16,
    label: 'Desktop processor, 9-16 threads',
    power: fromMaxima(65, 65, 125),
    source: `${GREEN_ALGORITHMS_CPU}: Ryzen 7 3700X 65 W, Core i5-10400 65 W, Core i7-10700K 125 W; ${IDLE_NOTE}`,
  },
  {
    id: 'cpu-desktop-large', component: 'cpu', cpuClass: 'desktop', minThreads: 17, maxThreads: 32,
    label: 'Desktop processor, 17-32 threads',
    power: fromMaxima(105, 105, 125),
    source: `${GREEN_ALGORITHMS_CPU}: Ryzen 9 3950X 105 W (32 threads), Core i9-10900KF 105 W (20 threads), Core i9-12900K 125 W (24 threads); ${IDLE_NOTE}`,
  },
  {
    id: 'cpu-workstation', component: 'cpu', cpuClass: 'workstation', minThreads: 33, maxThreads: 4096,
    label: 'Workstation or server processor, more than 32 threads',
    power: fromMaxima(200, 250, 280),
    source: `${GREEN_ALGORITHMS_CPU}: AMD EPYC 7552 200 W, Ryzen Threadripper 2990WX 250 W, Ryzen Threadripper 3990X 280 W; ${IDLE_NOTE}`,
  },
  {
    id: 'cpu-in-soc', component: 'cpu', cpuClass: 'apple-silicon', minThreads: 1, maxThreads: 4096,
    label: 'CPU shares one package with the GPU: counted in the GPU row',
    power: ZERO,
    source: 'Not a separate figure: the package power in the GPU row already includes the CPU cores',
  },
];

/** RAM rows. Only one is used today; the picker may offer more later. */
export const RAM_PROFILES: readonly RamProfile[] = [
  {
    id: 'ram-dram', component: 'ram',
    label: 'DRAM, power proportional to installed size',
    wattsPerGB: { low: 0.3725, typical: 0.375, high: 1.25 },
    source:
      'low: Green Algorithms 0.3725 W/GB (data/v2.2/referenceValues.csv, memoryPower); ' +
      'typical: CodeCarbon v2, 3 W per 8 GB (docs/explanation/methodology.md, citing Crucial); ' +
      'high: CodeCarbon v3 heuristic, at least 10 W for 8 GB (2 DIMMs at 5 W)',
  },
  {
    id: 'ram-in-soc', component: 'ram',
    label: 'Unified memory inside the package: counted in the GPU row',
    wattsPerGB: { low: 0, typical: 0, high: 0 },
    source: "Not a separate figure: Apple's whole-machine figures in the GPU row include memory",
  },
];
