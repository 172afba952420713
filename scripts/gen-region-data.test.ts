import { describe, expect, it } from 'vitest';
import { countryByTimeZone, tzLinks, zoneCountries } from './gen-region-data';

describe('the region-data generator', () => {
  const zones = zoneCountries('# comment\nCI\t+0519-00402\tAfrica/Abidjan\nIS\t+6409-02151\tAtlantic/Reykjavik\n');
  const links = tzLinks('L Africa/Abidjan Atlantic/Reykjavik\nL Africa/Abidjan Iceland\nL Africa/Abidjan Africa/Ouagadougou\n');
  const icu: Record<string, string> = { Iceland: 'Atlantic/Reykjavik', 'Atlantic/Reykjavik': 'Atlantic/Reykjavik', 'Africa/Abidjan': 'Africa/Abidjan' };

  it('gives a link the country of the zone it was split from, not of its target', () => {
    const out = countryByTimeZone(zones, links, (z) => icu[z] ?? null);
    expect(out.get('Iceland')).toBe('IS');
    expect(out.get('Atlantic/Reykjavik')).toBe('IS');
  });

  it('falls back to the target country when ICU knows no better', () => {
    expect(countryByTimeZone(zones, links, (z) => icu[z] ?? null).get('Africa/Ouagadougou')).toBe('CI');
  });
});
