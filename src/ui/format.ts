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
