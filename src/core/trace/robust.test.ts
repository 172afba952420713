import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILE_CAPS } from '../files/caps';
import { MAX_TRACE_POINTS } from './grid';
import { parseTrace } from './parse';
import { errorOf } from './test-helpers';

const csv = (header: string, rows: [string, string][]): string => [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
const at = (hhmm: string, day = '2022-03-01'): string => `${day}T${hhmm}Z`;

describe('parseTrace gap cap', () => {
  it('refuses a three-row file whose last row is centuries later, naming the gap and its line, quickly', () => {
    const text = csv('timestamp,gCO2/kWh', [[at('00:00'), '300'], [at('01:00'), '310'], ['2522-03-01T00:00Z', '320']]);
    const started = performance.now();
    const e = errorOf(() => parseTrace(text, 'bomb.csv'));
    expect(performance.now() - started).toBeLessThan(500);
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/^bomb\.csv, line 4: this row is 500 years after the previous one \(line 3, 2022-03-01T01:00:00\.000Z\)/);
    expect(e.message).toContain(`more than the ${MAX_TRACE_POINTS.toLocaleString('en')} a trace may have. Nothing was loaded`);
  });

  it('still fills an ordinary gap of a few days', () => {
    const p = parseTrace(csv('timestamp,gco2', [[at('00:00'), '1'], [at('01:00'), '2'], [at('00:00', '2022-03-05'), '3']]), 'ok.csv');
    expect(p.trace.points).toHaveLength(4 * 24 + 1);
    expect(p.insertedPoints).toBe(4 * 24 - 2);
  });

  it('refuses a file over the trace cap before reading its rows, naming the cap', () => {
    const e = errorOf(() => parseTrace('x'.repeat(FILE_CAPS.trace + 1), 'huge.csv'));
    expect(e.message).toMatch(/^huge\.csv: the file is 32 MiB, more than the 32 MiB allowed for a carbon-intensity trace; it was not read\.$/);
  });
});

describe('parseTrace when the step changes inside the file', () => {
  it('resamples half-hourly data with a stretch of quarter-hour rows onto 30 min, taking the mean', () => {
    const rows: [string, string][] = [
      [at('00:00'), '100'], [at('00:30'), '110'], [at('01:00'), '120'], [at('01:30'), '130'],
      [at('02:00'), '140'], [at('02:15'), '160'], [at('02:30'), '180'], [at('02:45'), '200'],
      [at('03:00'), '210'], [at('03:30'), '220'], [at('04:00'), '230'],
    ];
    const p = parseTrace(csv('datetime,intensity', rows), 'gb.csv');
    expect(p.trace.stepMs).toBe(1_800_000);
    expect(p.trace.points.map((x) => x.intensity)).toEqual([100, 110, 120, 130, 150, 190, 210, 220, 230]);
    expect(p.trace.points.map((x) => x.time)).toEqual(Array.from({ length: 9 }, (_, i) => Date.UTC(2022, 2, 1) + i * 1_800_000));
    expect(p.notices).toEqual(['the step changes inside the file: 2 rows are off the 30 min step, so the trace was resampled onto it (each 30 min takes the mean of its rows; 2 held more than one)']);
    expect(p.note).toContain('resampled onto it');
  });

  it('loads hourly data with an extra row around a clock change', () => {
    const p = parseTrace(
      csv('time,ci', [[at('00:00'), '200'], [at('01:00'), '210'], [at('01:30'), '230'], [at('02:00'), '240'], [at('03:00'), '250'], [at('04:00'), '260']]),
      'dst.csv',
    );
    expect(p.trace.stepMs).toBe(3_600_000);
    expect(p.trace.points.map((x) => x.intensity)).toEqual([200, 220, 240, 250, 260]);
    expect(p.note).toMatch(/1 rows are off the 1 h step/);
  });

  it('keeps a step whose rows are all empty as a hole and skips empty rows in the mean', () => {
    const rows: [string, string][] = [[at('00:00'), '10'], [at('00:30'), ''], [at('01:00'), ''], [at('02:00'), '30'], [at('03:00'), '40'], [at('04:00'), '50']];
    const p = parseTrace(csv('time,ci', rows), 'h.csv');
    expect(p.trace.points.map((x) => x.intensity)).toEqual([10, null, 30, 40, 50]);
  });
});

describe('parseTrace units', () => {
  it.each([
    ['kgCO2/kWh', '0.25', 250, 'kgCO2/kWh'],
    ['carbon_intensity (kgCO2/kWh)', '0.25', 250, 'kgCO2/kWh'],
    ['lb/MWh', '1000', 453.59237, 'lbCO2/MWh'],
    ['lbs_co2_per_mwh', '1000', 453.59237, 'lbCO2/MWh'],
    ['gCO2eq/kWh', '250', 250, 'gCO2/kWh'],
    ['carbon_intensity', '250', 250, 'gCO2/kWh'],
  ])('reads a column headed "%s" in its unit and converts it to gCO2/kWh', (header, value, grams, unit) => {
    const p = parseTrace(csv(`datetime,${header}`, [[at('00:00'), value], [at('01:00'), value]]), 'u.csv');
    expect(p.trace.points[0]?.intensity).toBeCloseTo(grams, 9);
    expect(p.unit).toBe(unit);
    if (unit !== 'gCO2/kWh') expect(p.note).toContain(`intensities converted from ${unit} to gCO2/kWh`);
    else expect(p.notices).toEqual([]);
  });

  it.each([
    ['intensity (%)', '%'],
    ['ci [oz/kWh]', 'oz/kWh'],
    ['co2_mg/Wh', 'co2_mg/Wh'],
  ])('refuses the unknown unit of "%s", naming it', (header, unit) => {
    const e = errorOf(() => parseTrace(csv(`time,${header}`, [[at('00:00'), '1']]), 'odd.csv'));
    expect(e.line).toBe(1);
    expect(e.message).toContain(`is in "${unit}", a unit the lab does not know`);
  });

  it.each([
    ['0.4', '0.4'],
    ['5000', '5,000'],
  ])('warns when the median, %s g/kWh, is implausible', (value) => {
    const p = parseTrace(csv('time,carbon_intensity', [[at('00:00'), value], [at('01:00'), value]]), 'w.csv');
    expect(p.notices[0]).toMatch(new RegExp(`^warning: the median intensity is ${value} gCO2/kWh, outside the plausible 1 to 3,000; check the unit of the column "carbon_intensity"`));
  });

  it.each([['datetime_utc'], ['period'], ['date'], ['time'], ['point_time']])('accepts "%s" as the time column', (name) => {
    const p = parseTrace(`${name},ci\n2022-01-01T05,300\n2022-01-01T06,310\n`, 'eia.csv');
    expect(p.trace.points.map((x) => [x.time, x.intensity])).toEqual([[Date.UTC(2022, 0, 1, 5), 300], [Date.UTC(2022, 0, 1, 6), 310]]);
  });
});

describe('the real traces in ../shared/traces', () => {
  // Fingerprints of the parsed traces, taken with the loader before this change: they load identically.
  it.each([
    ['us-bpat-2022.csv', 'ea84d97abb870e59'],
    ['us-ciso-2022.csv', '71c9010ecd5430c0'],
    ['us-erco-2022.csv', '1f8d8d743e308a51'],
    ['us-nyis-2022.csv', '11585b641d388c11'],
    ['us-pjm-2022.csv', '019257b43b89c520'],
  ])('%s loads exactly as before, with no notice', (file, fingerprint) => {
    const p = parseTrace(readFileSync(new URL(`../../../../shared/traces/${file}`, import.meta.url), 'utf8'), file);
    expect(createHash('sha256').update(JSON.stringify(p.trace)).digest('hex').slice(0, 16)).toBe(fingerprint);
    expect(p.notices).toEqual([]);
  });
});
