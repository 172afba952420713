/**
 * The gate a training loop passes between two steps: it yields to the worker's event loop so
 * pause and stop messages arrive, holds the run while paused, ends it on stop and fails it fast
 * when the GPU device is lost. The training clock lives here too: only the gate stops and starts
 * it, so pauses never count as training time.
 */

/** Yield to the worker's event loop at least this often, so pause and stop arrive promptly. */
const YIELD_INTERVAL_MS = 20;

const now = () => performance.now();

/** Lets queued messages (pause, stop) run between steps. A MessageChannel hop avoids setTimeout's 4 ms clamp. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The run ended because the GPU device went away (driver reset, tab backgrounded too long, unplugged GPU). */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

/**
 * Training time, pauses excluded. Only the loop switches it, where it books the time, so a pause
 * message arriving mid-readback cannot make the reported time jump back.
 */
export class RunClock {
  private bookedMs: number;
  private since = now();
  private running = true;

  constructor(bookedMs = 0) {
    this.bookedMs = bookedMs;
  }

  /** Milliseconds of training so far, the running stretch included. */
  get ms(): number {
    return this.bookedMs + (this.running ? now() - this.since : 0);
  }

  get seconds(): number {
    return this.ms / 1000;
  }

  stop(): void {
    if (this.running) this.bookedMs += now() - this.since;
    this.running = false;
  }

  start(): void {
    this.since = now();
    this.running = true;
  }
}

/** What the gate does around a pause: save the run before holding it, and say it goes on after. */
export interface PauseHandlers {
  readonly paused: () => Promise<void>;
  readonly resumed: () => void;
}

/** Pause, resume, stop and device loss of one run; called from messages at any time. */
export class RunGate {
  private pauseRequested = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;
  private lostReason: string | null = null;
  private rejectLost: ((error: Error) => void) | null = null;
  private readonly lostSignal: Promise<never>;
  private lastYield = now();

  constructor() {
    this.lostSignal = new Promise<never>((_, reject) => {
      this.rejectLost = reject;
    });
    this.lostSignal.catch(() => undefined);
  }

  get paused(): boolean {
    return this.pauseRequested;
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  pause(): void {
    this.pauseRequested = true;
  }

  resume(): void {
    this.pauseRequested = false;
    this.wake?.();
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  /** The GPU device is lost: the run stops at the next gate, and a pending readback fails at once. */
  deviceLost(reason: string): void {
    this.lostReason = reason;
    this.rejectLost?.(new DeviceLostError(reason));
    this.resume();
  }

  /** Waits for a device readback, or fails at once if the device is lost meanwhile. */
  readback<T>(pending: Promise<T>): Promise<T> {
    return Promise.race([pending, this.lostSignal]);
  }

  /** Throws when the device is lost. */
  check(): void {
    if (this.lostReason !== null) throw new DeviceLostError(this.lostReason);
  }

  /**
   * Between two steps: yields now and then, holds the run while paused (with the clock stopped,
   * after `handlers.paused`), and throws on a lost device. False when the run should stop.
   */
  async pass(clock: RunClock, handlers: PauseHandlers): Promise<boolean> {
    if (now() - this.lastYield > YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      this.lastYield = now();
    }
    if (this.pauseRequested && !this.stopRequested && this.lostReason === null) {
      clock.stop();
      await handlers.paused();
      while (this.pauseRequested && !this.stopRequested && this.lostReason === null) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
      this.wake = null;
      clock.start();
      if (!this.stopRequested && this.lostReason === null) handlers.resumed();
    }
    this.check();
    return !this.stopRequested;
  }
}
