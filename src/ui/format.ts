/** Small text formatters for the view. */

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export function formatPercent(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

export function formatRate(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : Math.round(x).toLocaleString('en-US');
}

/** "2022-06-15T00:00" for a time in milliseconds (UTC). */
export function formatUtcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** Absolute URL of a file relative to the page's base address. */
export function resolveUrl(path: string, base: string): string {
  return new URL(path, base).href;
}

/** Local date and time of a moment, e.g. "29 Nov 2026, 06:40". */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Energy in the unit that keeps it readable: "1.23 Wh", "4.56 mWh", "7.89 µWh", "12.3 nWh". */
export function formatWattHours(wh: number | null | undefined): string {
  if (wh === null || wh === undefined || !Number.isFinite(wh)) return '—';
  const units: readonly [number, string][] = [[1, 'Wh'], [1e-3, 'mWh'], [1e-6, 'µWh'], [1e-9, 'nWh']];
  const [scale, unit] = units.find(([s]) => Math.abs(wh) >= s) ?? units[units.length - 1]!;
  return `${(wh / scale).toPrecision(3)} ${unit}`;
}

/** A short time: "0.42 ms", "12.3 ms", "1.25 s". */
export function formatMilliseconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toPrecision(3)} s` : `${ms.toPrecision(ms >= 1 ? 3 : 2)} ms`;
}
