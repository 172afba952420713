import { defineConfig } from '@playwright/test';
import { launchOptions } from './scripts/browser.ts';

// LAB_E2E_PORT lets two checkouts test side by side.
const PORT = Number(process.env.LAB_E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  // One worker: WebGPU here runs on SwiftShader, which needs the CPU cores to itself.
  workers: 1,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  // Service workers are blocked except in the offline spec: precaching the whole lab in every
  // test would only cost time, and a cached copy must never hide what a test changed.
  use: { baseURL: `http://127.0.0.1:${PORT}/`, trace: 'retain-on-failure', serviceWorkers: 'block' },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
  },
  projects: [
    { name: 'webgpu', testIgnore: /fallback\.spec/, use: { launchOptions: launchOptions({ webgpu: true }) } },
    // Chromium without the WebGPU flags offers no adapter here: the "WebGPU unavailable" case.
    { name: 'no-webgpu', testMatch: /fallback\.spec/, use: { launchOptions: launchOptions({ webgpu: false }) } },
  ],
});
