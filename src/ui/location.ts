/** The only code that touches `location` and `history`: reading and writing the share link. */
import { isResultHash } from '../core/results/link';

/** The current hash without its leading '#'. */
export function readHash(): string {
  return location.hash.slice(1);
}

/** Replaces the hash without adding a history entry or firing hashchange. */
export function writeHash(hash: string): void {
  if (location.hash.slice(1) !== hash) history.replaceState(history.state, '', `#${hash}`);
}

/** The page's address without its hash. */
export function pageAddress(): string {
  return location.href.split('#')[0] as string;
}

/** The hash when it is a result link (`#r=...`, without '#'), else null. */
export function readResultHash(): string | null {
  const hash = readHash();
  return isResultHash(hash) ? hash : null;
}

/** Sets the hash as a new history entry (a view switch), so Back returns to the view before. */
export function pushHash(hash: string): void {
  if (location.hash.slice(1) !== hash) history.pushState(history.state, '', `#${hash}`);
}
