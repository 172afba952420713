import type { ProviderId } from './provider';
import { alpha3FromAlpha2, annualAverage, annualAverageCodes, averageCodeName, WORLD } from './providers/offline';
import { UK_REGIONS, type UkArea } from './providers/uk-carbon-intensity';
import { ALPHA3_BY_ALPHA2, COUNTRY_BY_TIME_ZONE } from './region-data';

/** A provider and the region to ask it about; plain data, safe to put in a link (it holds no credentials). */
export type RegionChoice =
  | { readonly provider: 'uk-carbon-intensity'; readonly area: UkArea }
  | { readonly provider: 'offline'; readonly country: string }
  | { readonly provider: 'electricity-maps'; readonly zone: string }
  | { readonly provider: 'watttime'; readonly region: string }
  | { readonly provider: 'replay'; readonly traceName: string };

/** The default region for a browser and why it was picked. */
export interface RegionDefault {
  readonly choice: RegionChoice;
  /** Alpha-3 code (or WORLD) of the offline average to fall back to. */
  readonly fallbackCountry: string;
  readonly label: string;
  readonly reason: string;
}

/** The alpha-2 country of an IANA time zone name, or null. */
export const countryFromTimeZone = (timeZone: string | undefined): string | null =>
  timeZone === undefined ? null : (COUNTRY_BY_TIME_ZONE[timeZone] ?? null);

/** The region subtag of a BCP 47 locale (`en-GB` -> `GB`), or null; no guessing from the language alone. */
export function countryFromLocale(locale: string | undefined): string | null {
  if (locale === undefined || locale === '') return null;
  try {
    const region = new Intl.Locale(locale).region;
    return region !== undefined && /^[A-Z]{2}$/.test(region) ? region : null;
  } catch {
    return null;
  }
}

/**
 * Default provider and region from the browser's time zone and locale
 * (`Intl.DateTimeFormat().resolvedOptions().timeZone`, `navigator.language`). The time zone says
 * more about where the machine is than the language does, so it is tried first. A British time
 * zone gives the UK Carbon Intensity API for Great Britain; any other known country its offline
 * annual average; nothing known gives the world average. Pure.
 */
export function regionFromLocale(timeZone: string | undefined, locale: string | undefined): RegionDefault {
  const fromZone = countryFromTimeZone(timeZone);
  const fromLocale = countryFromLocale(locale);
  const alpha2 = fromZone ?? fromLocale;
  const how = fromZone !== null ? `the time zone ${timeZone}` : fromLocale !== null ? `the language setting ${locale}` : null;

  if (alpha2 === 'GB') {
    return {
      choice: { provider: 'uk-carbon-intensity', area: { kind: 'national' } },
      fallbackCountry: 'GBR',
      label: 'Great Britain (UK Carbon Intensity API)',
      reason:
        `From ${how}: live half-hourly data for Great Britain. Pick a region or postcode for a closer figure; ` +
        'Northern Ireland is on a separate grid the API does not cover, so choose the UK country average there.',
    };
  }
  const alpha3 = alpha2 === null ? null : alpha3FromAlpha2(alpha2);
  if (alpha3 !== null) {
    const avg = annualAverage(alpha3);
    if (!avg.substituted) {
      const name = averageCodeName(alpha3);
      return {
        choice: { provider: 'offline', country: alpha3 },
        fallbackCountry: alpha3,
        label: `${name} (annual average, offline)`,
        reason: `From ${how}: ${name}'s annual average grid intensity, which works without a network. Add an Electricity Maps key for live data.`,
      };
    }
  }
  return {
    choice: { provider: 'offline', country: WORLD },
    fallbackCountry: WORLD,
    label: 'World (annual average, offline)',
    reason:
      how === null
        ? 'The browser gave no time zone or country, so the world average applies until you pick a region.'
        : `From ${how}: no country data for ${alpha2 ?? 'it'}, so the world average applies until you pick a region.`,
  };
}

/** The offline country to fall back to for a choice, given the browser's default. */
export function fallbackCountryFor(choice: RegionChoice, browserDefault: RegionDefault): string {
  switch (choice.provider) {
    case 'uk-carbon-intensity':
      return 'GBR';
    case 'offline':
      return annualAverage(choice.country).code;
    case 'electricity-maps': {
      // Zone keys start with the country's alpha-2 code (DE, US-CAL-CISO, GB-NIR).
      const alpha3 = alpha3FromAlpha2(choice.zone.slice(0, 2));
      return alpha3 ?? browserDefault.fallbackCountry;
    }
    case 'watttime':
    case 'replay':
      return browserDefault.fallbackCountry;
  }
}

/** One entry of the region picker. */
export interface RegionOption {
  /** Stable id for a select element, e.g. `uk:national`, `uk:13`, `offline:DEU`. */
  readonly id: string;
  readonly label: string;
  readonly group: string;
  readonly provider: ProviderId;
  readonly choice: RegionChoice;
}

/**
 * Every region the picker offers without credentials: Great Britain nationally and its 17 API
 * regions, then each country's and each aggregate's offline average, sorted by name. Electricity
 * Maps zones, WattTime regions and postcodes are typed in, so they are not listed.
 */
export function regionOptions(): readonly RegionOption[] {
  const uk: RegionOption[] = [
    { id: 'uk:national', label: 'Great Britain', group: 'Great Britain, live (UK Carbon Intensity API)', provider: 'uk-carbon-intensity', choice: { provider: 'uk-carbon-intensity', area: { kind: 'national' } } },
    ...UK_REGIONS.map((r): RegionOption => ({
      id: `uk:${r.id}`, label: r.name, group: 'Great Britain, live (UK Carbon Intensity API)', provider: 'uk-carbon-intensity',
      choice: { provider: 'uk-carbon-intensity', area: { kind: 'region', regionId: r.id } },
    })),
  ];
  const countries = new Set(Object.values(ALPHA3_BY_ALPHA2));
  countries.add('XKX');
  const offline = annualAverageCodes()
    .filter((code) => !annualAverage(code).substituted || code === WORLD)
    .map((code): RegionOption => ({
      id: `offline:${code}`,
      label: averageCodeName(code),
      group: countries.has(code) ? 'Country annual average (offline)' : 'Region annual average (offline)',
      provider: 'offline',
      choice: { provider: 'offline', country: code },
    }))
    .sort((a, b) => a.group.localeCompare(b.group) || a.label.localeCompare(b.label));
  return [...uk, ...offline];
}
