import { describe, expect, it } from 'vitest';
import { gramsCO2e, kilowattHours, watts } from '../units';
import { CODECARBON_COLUMNS, codeCarbonRow, codeCarbonTimestamp, csvField, toCodeCarbonCsv, toCodeCarbonJson, type RunLog } from './codecarbon';
import { CAR_GRAMS_PER_KM, equivalents, PHONE_CHARGE_KWH, TREE_MONTH_GRAMS } from './equivalents';

const run: RunLog = {
  endedAt: Date.UTC(2024, 2, 1, 12, 30, 5),
  projectName: 'mnist, small',
  runId: 'run-1',
  experimentId: 'exp-1',
  durationS: 100,
  energy: {
    kWh: kilowattHours(0.003), low: kilowattHours(0.002), high: kilowattHours(0.005),
    byComponent: { gpu: kilowattHours(0.002), cpu: kilowattHours(0.0008), ram: kilowattHours(0.0002) },
    pue: 1, deviceProfile: 'test', method: 'timestamp-query', meteredSeconds: 100,
  },
  meanPowerW: { gpu: watts(72), cpu: watts(28.8), ram: watts(7.2) },
  gCO2e: 0.6,
  countryName: 'United Kingdom',
  countryIsoCode: 'GBR',
  region: 'national',
  os: 'MacIntel',
  cpuCount: 8,
  cpuModel: '',
  gpuCount: 1,
  gpuModel: 'Apple M-series chip "base"',
  ramTotalGB: 8,
};

describe('CodeCarbon export', () => {
  it('writes the 3.3.0 header in order', () => {
    const header = toCodeCarbonCsv([]).trimEnd();
    expect(header).toBe(
      'timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,' +
        'cpu_energy,gpu_energy,ram_energy,energy_consumed,water_consumed,country_name,country_iso_code,region,' +
        'cloud_provider,cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,' +
        'longitude,latitude,ram_total_size,tracking_mode,cpu_utilization_percent,gpu_utilization_percent,' +
        'ram_utilization_percent,ram_used_gb,on_cloud,pue,wue',
    );
    expect(CODECARBON_COLUMNS).toHaveLength(38);
  });

  it('fills a row in CodeCarbon units: kg, kWh, W, seconds', () => {
    const row = codeCarbonRow(run);
    expect(row.timestamp).toBe('2024-03-01T12:30:05');
    expect(row.emissions).toBeCloseTo(0.0006);
    expect(row.emissions_rate).toBeCloseTo(0.000006);
    expect(row.energy_consumed).toBeCloseTo(0.003);
    expect(row.gpu_power).toBe(72);
    expect(row.country_iso_code).toBe('GBR');
    expect(row.on_cloud).toBe('N');
    expect(row.python_version).toBeNull();
  });

  it('quotes fields with commas and quotes, and leaves unknowns empty', () => {
    const line = toCodeCarbonCsv([codeCarbonRow(run)]).split('\n')[1] ?? '';
    expect(line).toContain(',"mnist, small",');
    expect(line).toContain(',"Apple M-series chip ""base""",');
    expect(line).toContain(',machine,,,,,N,1,0');
  });

  it('escapes CSV per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-3')).toBe("'-3");
    expect(csvField(-3.5)).toBe('-3.5');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(null)).toBe('');
  });

  it('round-trips through a CSV reader', () => {
    const text = toCodeCarbonCsv([codeCarbonRow(run), codeCarbonRow({ ...run, runId: 'run-2' })]);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...CODECARBON_COLUMNS]);
    expect(rows[1]?.[CODECARBON_COLUMNS.indexOf('project_name')]).toBe('mnist, small');
    expect(rows[2]?.[CODECARBON_COLUMNS.indexOf('run_id')]).toBe('run-2');
    expect(rows.every((r) => r.length === CODECARBON_COLUMNS.length)).toBe(true);
  });

  it('writes the same rows as JSON with the column names in order', () => {
    const parsed = JSON.parse(toCodeCarbonJson([codeCarbonRow(run)])) as Record<string, unknown>[];
    expect(Object.keys(parsed[0] ?? {})).toEqual([...CODECARBON_COLUMNS]);
    expect(parsed[0]?.cpu_model).toBe('');
    expect(parsed[0]?.latitude).toBeNull();
  });

  it('formats timestamps like CodeCarbon', () => {
    expect(codeCarbonTimestamp(0)).toBe('1970-01-01T00:00:00');
  });
});

describe('equivalents', () => {
  it('divides carbon and energy by their sourced constants', () => {
    const [car, phone, tree] = equivalents(gramsCO2e(350), kilowattHours(0.038));
    expect(car?.value).toBeCloseTo(350 / CAR_GRAMS_PER_KM);
    expect(phone?.value).toBeCloseTo(0.038 / PHONE_CHARGE_KWH);
    expect(tree?.value).toBeCloseTo(350 / TREE_MONTH_GRAMS);
    for (const e of [car, phone, tree]) expect(e?.source.length).toBeGreaterThan(10);
  });
});

/** A small RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}
