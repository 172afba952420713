/**
 * How the lab launches Chromium for tests, the headless runner and benchmarks: the system
 * Chromium when present (Playwright's own download needs the internet), with WebGPU enabled.
 */
import { existsSync } from 'node:fs';

/** The Chromium binary: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p as string));
}

/** Flags that keep a headless Chromium quiet on a machine without internet access. */
export const QUIET_FLAGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * WebGPU flags. `software` adds SwiftShader, a CPU implementation of Vulkan, for machines
 * without a GPU (slow but real); on a machine with a GPU leave it out.
 */
export function webgpuFlags(software: boolean): string[] {
  return ['--enable-unsafe-webgpu', ...(software ? ['--enable-unsafe-swiftshader', '--use-angle=swiftshader'] : [])];
}

/** Whether to use SwiftShader: $LAB_GPU=hardware turns it off. */
export const useSoftwareGpu = (): boolean => process.env.LAB_GPU !== 'hardware';

/** Launch options for Playwright's chromium.launch. */
export function launchOptions(opts: { webgpu?: boolean } = {}) {
  const webgpu = opts.webgpu ?? true;
  return {
    executablePath: chromiumPath(),
    headless: true,
    args: [...QUIET_FLAGS, ...(webgpu ? webgpuFlags(useSoftwareGpu()) : [])],
  };
}
