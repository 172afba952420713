/**
 * The "Projector" setting: larger type for a classroom screen. It is remembered in this browser
 * and sets a class on the root element, so every rem-sized rule in the page grows with it.
 */
const KEY = 'lab.projector';

export class ProjectorPreference {
  on = $state(false);

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    this.on = storage?.getItem(KEY) === '1';
    this.apply();
  }

  set(on: boolean): void {
    this.on = on;
    try {
      this.storage?.setItem(KEY, on ? '1' : '0');
    } catch {
      // Storage may be full or blocked (private mode); the setting then lasts for this visit only.
    }
    this.apply();
  }

  private apply(): void {
    document.documentElement.classList.toggle('projector', this.on);
  }
}

/** The page's projector setting, read from localStorage when the browser allows it. */
export function projectorPreference(): ProjectorPreference {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  return new ProjectorPreference(storage);
}
