import { describe, expect, it } from 'vitest';
import { countryFromLocale, countryFromTimeZone, fallbackCountryFor, regionFromLocale, regionOptions } from './regions';

describe('regionFromLocale', () => {
  it('sends a British time zone to the UK Carbon Intensity API', () => {
    const d = regionFromLocale('Europe/London', 'en-GB');
    expect(d.choice).toEqual({ provider: 'uk-carbon-intensity', area: { kind: 'national' } });
    expect(d.fallbackCountry).toBe('GBR');
    expect(d.reason).toMatch(/Northern Ireland/);
  });

  it('uses the time zone before the language', () => {
    // An American English browser in Berlin is in Germany.
    const d = regionFromLocale('Europe/Berlin', 'en-US');
    expect(d.choice).toEqual({ provider: 'offline', country: 'DEU' });
    expect(d.label).toContain('Germany');
  });

  it('understands legacy zone names browsers still report', () => {
    expect(regionFromLocale('Asia/Calcutta', 'en').choice).toEqual({ provider: 'offline', country: 'IND' });
  });

  it('falls back to the language region when the time zone is unknown', () => {
    expect(regionFromLocale('Etc/UTC', 'fr-FR').choice).toEqual({ provider: 'offline', country: 'FRA' });
    expect(regionFromLocale(undefined, 'en-GB').choice.provider).toBe('uk-carbon-intensity');
  });

  it('uses the world average when nothing says where the machine is', () => {
    const d = regionFromLocale('UTC', 'en');
    expect(d.choice).toEqual({ provider: 'offline', country: 'WORLD' });
    expect(d.reason).toMatch(/world average/);
  });

  it('does not send Ireland to the GB API', () => {
    expect(regionFromLocale('Europe/Dublin', 'en-IE').choice).toEqual({ provider: 'offline', country: 'IRL' });
  });
});

describe('country lookups', () => {
  it('reads zone and locale countries', () => {
    expect(countryFromTimeZone('America/New_York')).toBe('US');
    expect(countryFromTimeZone('Nowhere/City')).toBeNull();
    expect(countryFromLocale('pt-BR')).toBe('BR');
    expect(countryFromLocale('de')).toBeNull();
    expect(countryFromLocale('not a locale!')).toBeNull();
  });

  it('picks the fallback country for each kind of choice', () => {
    const browser = regionFromLocale('Europe/Paris', 'fr-FR');
    expect(fallbackCountryFor({ provider: 'electricity-maps', zone: 'US-CAL-CISO' }, browser)).toBe('USA');
    expect(fallbackCountryFor({ provider: 'watttime', region: 'CAISO_NORTH' }, browser)).toBe('FRA');
    expect(fallbackCountryFor({ provider: 'uk-carbon-intensity', area: { kind: 'region', regionId: 3 } }, browser)).toBe('GBR');
  });
});

describe('regionOptions', () => {
  it('lists Great Britain, its 17 regions and the offline countries, with unique ids', () => {
    const options = regionOptions();
    expect(options[0]?.id).toBe('uk:national');
    expect(options.filter((o) => o.id.startsWith('uk:'))).toHaveLength(18);
    expect(options.find((o) => o.id === 'offline:DEU')?.label).toBe('Germany');
    expect(options.find((o) => o.id === 'offline:WORLD')?.group).toMatch(/Region/);
    expect(new Set(options.map((o) => o.id)).size).toBe(options.length);
    expect(options.length).toBeGreaterThan(150);
  });
});
