import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The service worker precaches everything the lab needs to open, run a lesson and train with no
 * network after one visit: the app, the worker, the wasm files, MNIST, the traces. Lessons are in
 * the bundle. `prompt`: a new version waits until the user chooses to reload, so it never swaps in
 * during a lesson.
 */
const offline = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifest: {
    name: 'Carbon-Aware Training Lab',
    short_name: 'Carbon Lab',
    description: 'Train neural networks in your browser and see what the training costs the planet.',
    start_url: '.',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#2b8a3e',
    icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,wasm,bin,csv,svg,txt,webmanifest}'],
    // The worker bundle (tfjs) and MNIST (7.9 MB) are far above Workbox's 2 MiB default.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [svelte(), ...(process.env.VITEST ? [] : [offline])],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1' },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
