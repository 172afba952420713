/**
 * The offline copy of the lab (a Workbox service worker, set up in vite.config.ts): whether it is
 * ready, and whether a new version waits. A new version is only used when the user asks, so it
 * never swaps in during a lesson or a run.
 */
import { registerSW } from 'virtual:pwa-register';

export class OfflineCopy {
  /** The lab, its worker, wasm files, MNIST and traces are cached: it opens and trains offline. */
  ready = $state(false);
  /** A new version is installed and waits for a reload. */
  updateWaiting = $state(false);
  error = $state<string | null>(null);
  private update: ((reload?: boolean) => Promise<void>) | null = null;

  /** Registers the service worker; does nothing where the browser has none (or in dev). */
  start(): void {
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
    this.update = registerSW({
      onOfflineReady: () => (this.ready = true),
      onNeedRefresh: () => (this.updateWaiting = true),
      onRegisteredSW: (_url, registration) => {
        if (registration?.active) this.ready = true;
      },
      onRegisterError: (e: unknown) => (this.error = `The offline copy could not be set up (${e instanceof Error ? e.message : String(e)}); the lab works, but needs the network to reload.`),
    });
  }

  /** Reloads into the waiting version. */
  async applyUpdate(): Promise<void> {
    await this.update?.(true);
  }
}
