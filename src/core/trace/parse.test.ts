import { describe, expect, it } from 'vitest';
import { parseTimestamp, parseTrace } from './parse';
import { errorOf } from './test-helpers';

const DCRL_HEADER = 'timestamp,WND,SUN,WAT,OIL,NG,COL,NUC,OTH,avg_CI';
const dcrl = (rows: string[]): string => [DCRL_HEADER, ...rows].join('\n') + '\n';
const dcrlRow = (hour: number, ci: string): string =>
  `2022-01-01 ${String(hour).padStart(2, '0')}:00:00+00:00,1,2,3,4,5,6,7,8,${ci}`;

const EM_HEADER =
  'Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),' +
  'Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,Data Estimated,Data Estimation Method';
const emRow = (hour: number, direct: string, lca: string, estimated = 'false'): string =>
  `2023-01-01 ${String(hour).padStart(2, '0')}:00:00,Germany,"Germany",DE,${direct},${lca},50.1,45.2,"entsoe.eu, eia.gov",${estimated},`;

describe('parseTrace', () => {
  it('recognises the dc-rl layout and reads avg_CI as the intensity', () => {
    const p = parseTrace(dcrl([dcrlRow(0, '222.5'), dcrlRow(1, '260')]), 'traces/us-ciso-2022.csv');
    expect(p.layout).toBe('dc-rl');
    expect(p.trace.name).toBe('us-ciso-2022');
    expect(p.trace.stepMs).toBe(3_600_000);
    expect(p.trace.points.map((x) => x.intensity)).toEqual([222.5, 260]);
    expect(p.trace.points[0]?.time).toBe(Date.UTC(2022, 0, 1, 0));
    expect(p.note).toMatch(/^recognised as dc-rl layout/);
  });

  it('keeps a row with a timestamp and nothing else as a hole, never as zero', () => {
    const p = parseTrace(dcrl([dcrlRow(0, '100'), '2022-01-01 01:00:00+00:00,,,,,,,,,', dcrlRow(2, '120')]), 'x.csv');
    expect(p.trace.points.map((x) => x.intensity)).toEqual([100, null, 120]);
    expect(p.emptyRows).toBe(1);
    expect(p.note).toContain('1 empty rows kept as holes');
  });

  it('inserts holes where timestamps skip hours', () => {
    const p = parseTrace(dcrl([dcrlRow(0, '100'), dcrlRow(1, '110'), dcrlRow(4, '140'), dcrlRow(5, '150')]), 'x.csv');
    expect(p.trace.points.map((x) => x.intensity)).toEqual([100, 110, null, null, 140, 150]);
    expect(p.trace.points.map((x) => x.time)).toEqual([0, 1, 2, 3, 4, 5].map((h) => Date.UTC(2022, 0, 1, h)));
    expect(p.insertedPoints).toBe(2);
    expect(p.note).toContain('2 missing timestamps inserted as holes');
  });

  it.each([
    ['timestamp,gCO2/kWh'],
    ['time,carbon_intensity'],
    ['datetime,intensity'],
    ['Datetime (UTC),gCO2eq/kWh'],
  ])('recognises a two-column CSV with header "%s"', (header) => {
    const p = parseTrace(`${header}\n2022-03-01T00:00:00Z,300\n2022-03-01T01:00:00Z,310\n`, 'mine.csv');
    expect(p.layout).toBe('two-column');
    expect(p.trace.points.map((x) => x.intensity)).toEqual([300, 310]);
    expect(p.note).toMatch(/^recognised as two-column CSV/);
  });

  it('reads half-hourly two-column traces with their own step', () => {
    const p = parseTrace('timestamp,gco2\n2022-03-01T00:00Z,1\n2022-03-01T00:30Z,2\n2022-03-01T01:30Z,4\n', 'uk.csv');
    expect(p.trace.stepMs).toBe(1_800_000);
    expect(p.trace.points.map((x) => x.intensity)).toEqual([1, 2, null, 4]);
  });

  it('recognises an Electricity Maps export and prefers the life-cycle (LCA) column', () => {
    const p = parseTrace([EM_HEADER, emRow(0, '300', '350'), emRow(1, '280', '330', 'true')].join('\r\n'), 'DE_2023_hourly.csv');
    expect(p.layout).toBe('electricity-maps');
    expect(p.trace.points.map((x) => x.intensity)).toEqual([350, 330]);
    expect(p.trace.points[0]?.time).toBe(Date.UTC(2023, 0, 1, 0));
    expect(p.note).toMatch(/^recognised as Electricity Maps export, using the life-cycle column/);
    expect(p.note).toContain('1 rows estimated by Electricity Maps');
  });

  it('accepts the "(life cycle assessment)" spelling of the Electricity Maps column', () => {
    const header = EM_HEADER.replace('(LCA)', '(life cycle assessment)');
    const p = parseTrace([header, emRow(0, '300', '350')].join('\n'), 'DE.csv');
    expect(p.trace.points[0]?.intensity).toBe(350);
  });

  it('falls back to the direct column when an Electricity Maps file has no life-cycle column', () => {
    const header = EM_HEADER.replace(',Carbon Intensity gCO₂eq/kWh (LCA)', '');
    const row = emRow(0, '300', '350').replace(',350,', ',');
    const p = parseTrace([header, row].join('\n'), 'DE.csv');
    expect(p.trace.points[0]?.intensity).toBe(300);
    expect(p.note).toContain('direct column');
  });

  it('treats an empty Electricity Maps intensity cell as a hole', () => {
    const p = parseTrace([EM_HEADER, emRow(0, '300', '350'), emRow(1, '', '')].join('\n'), 'DE.csv');
    expect(p.trace.points[1]?.intensity).toBeNull();
  });

  it('strips a byte-order mark and ignores blank lines', () => {
    const p = parseTrace(`\uFEFFtimestamp,gco2\n\n2022-01-01T00:00Z,5\n\n`, 'x.csv');
    expect(p.trace.points).toHaveLength(1);
  });

  it('rejects an unknown header, naming the file and line 1', () => {
    const e = errorOf(() => parseTrace('when,what,why\n1,2,3\n', 'odd.csv'));
    expect(e.message).toMatch(/^odd\.csv, line 1: unrecognised header/);
  });

  it.each([
    ['a row with too few cells', '2022-01-01 01:00:00+00:00,1,2,3', /line 3: expected 10 cells, found 4/],
    ['an unreadable timestamp', 'yesterday,1,2,3,4,5,6,7,8,100', /line 3: cannot read the timestamp "yesterday"/],
    ['a non-numeric intensity', dcrlRow(1, 'abc'), /line 3: intensity "abc" is not a number/],
    ['a negative intensity', dcrlRow(1, '-5'), /line 3: intensity -5 is negative/],
    ['a repeated timestamp', dcrlRow(0, '5'), /line 3: timestamp .* repeats the previous row/],
  ])('rejects %s with the file name and 1-based line number', (_what, row, message) => {
    const text = dcrl([dcrlRow(0, '100'), row, dcrlRow(5, '100'), dcrlRow(6, '100')]);
    const e = errorOf(() => parseTrace(text, 'bad.csv'));
    expect(e.fileName).toBe('bad.csv');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^bad\.csv, line 3: /);
    expect(e.message).toMatch(message);
  });

  it('rejects timestamps that go backwards', () => {
    const e = errorOf(() => parseTrace(dcrl([dcrlRow(2, '1'), dcrlRow(1, '1')]), 'back.csv'));
    expect(e.message).toBe('back.csv, line 3: timestamp "2022-01-01 01:00:00+00:00" goes backwards');
  });

  it('rejects a file without data rows', () => {
    expect(() => parseTrace(`${DCRL_HEADER}\n`, 'empty.csv')).toThrow(/empty\.csv: no data rows/);
    expect(() => parseTrace('', 'nothing.csv')).toThrow(/nothing\.csv: the file is empty/);
  });
});

describe('parseTimestamp', () => {
  it('reads a zone offset, Z, or no zone as UTC', () => {
    const t = Date.UTC(2022, 5, 1, 12, 0, 0);
    expect(parseTimestamp('2022-06-01 12:00:00+00:00')).toBe(t);
    expect(parseTimestamp('2022-06-01T14:00:00+02:00')).toBe(t);
    expect(parseTimestamp('2022-06-01T07:00-0500')).toBe(t);
    expect(parseTimestamp('2022-06-01T12:00:00.000Z')).toBe(t);
    expect(parseTimestamp('2022-06-01 12:00:00')).toBe(t);
  });

  it('gives NaN for impossible dates and other text', () => {
    expect(parseTimestamp('2022-02-30 00:00')).toBeNaN();
    expect(parseTimestamp('2022-01-01 25:00')).toBeNaN();
    expect(parseTimestamp('01/02/2022')).toBeNaN();
  });
});
