/**
 * A CSV or TSV table as it arrives: a header and rows of text cells, fed in chunks (so a large
 * file can stream through papaparse in the worker) and checked as they come. Every problem names
 * its line. Line numbers count the header as line 1 and assume no quoted field spans lines.
 */
import Papa from 'papaparse';

/** A problem with the file, for the user: what is wrong and where. */
export class TableError extends Error {
  override readonly name = 'TableError';
}

/** The most rows a table may have (the lab trains in a browser tab). */
export const MAX_TABLE_ROWS = 1_000_000;
/** The most columns a table may have. */
export const MAX_TABLE_COLUMNS = 1_000;

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The file line of each row. */
  readonly lines: readonly number[];
  readonly delimiter: ',' | ';' | '\t';
  /** Cells read with a decimal comma (`3,5`), by column. */
  readonly decimalComma: readonly boolean[];
}

/** Collects rows chunk by chunk; `finish` returns the table or throws a TableError. */
export class TableBuilder {
  private header: string[] | null = null;
  private readonly rows: string[][] = [];
  private readonly lines: number[] = [];
  private line = 0;

  constructor(private readonly delimiter: Table['delimiter']) {}

  /** Adds parsed rows (arrays of cells) in file order; blank rows are skipped but counted. */
  add(rows: readonly (readonly string[])[]): void {
    for (const raw of rows) {
      this.line++;
      if (raw.length === 1 && (raw[0] ?? '').trim() === '') continue;
      const cells = raw.map((c) => c.trim());
      if (!this.header) {
        this.header = headerOf(cells, this.line);
        continue;
      }
      if (cells.length !== this.header.length) {
        throw new TableError(`Line ${this.line} has ${cells.length} field${cells.length === 1 ? '' : 's'}, but the header has ${this.header.length}. Fix that row (a missing or extra "${this.delimiter === '\t' ? 'tab' : this.delimiter}"?); nothing was loaded.`);
      }
      if (this.rows.length >= MAX_TABLE_ROWS) throw new TableError(`The table has more than ${MAX_TABLE_ROWS.toLocaleString('en')} rows, the most the lab trains on; nothing was loaded.`);
      this.rows.push(cells);
      this.lines.push(this.line);
    }
  }

  finish(): Table {
    if (!this.header) throw new TableError('The file is empty: it needs a header line and at least one row; nothing was loaded.');
    if (this.rows.length === 0) throw new TableError('The file has a header but no rows of data; nothing was loaded.');
    const header = this.header;
    const decimalComma = header.map((_, c) => this.delimiter !== ',' && usesDecimalComma(this.rows, c));
    return { header, rows: this.rows, lines: this.lines, delimiter: this.delimiter, decimalComma };
  }
}

function headerOf(cells: string[], line: number): string[] {
  if (cells.length > MAX_TABLE_COLUMNS) throw new TableError(`Line ${line} (the header) has ${cells.length} columns; the lab reads at most ${MAX_TABLE_COLUMNS}.`);
  const seen = new Set<string>();
  return cells.map((c, i) => {
    let name = c === '' ? `column ${i + 1}` : c;
    while (seen.has(name)) name = `${name} (${i + 1})`;
    seen.add(name);
    return name;
  });
}

const DECIMAL_COMMA = /^[+-]?\d{1,3}(\.\d{3})*,\d+$|^[+-]?\d+,\d+$/;

function usesDecimalComma(rows: readonly (readonly string[])[], column: number): boolean {
  let comma = 0;
  for (const row of rows) {
    const cell = row[column] ?? '';
    if (DECIMAL_COMMA.test(cell)) comma++;
    else if (/^[+-]?\d*\.\d+$/.test(cell)) return false;
  }
  return comma > 0;
}

/** Picks the delimiter from the first lines: the one that splits them into the most equal, plural fields. */
export function detectDelimiter(sample: string): Table['delimiter'] {
  const lines = sample.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  let best: Table['delimiter'] = ',';
  let bestScore = -1;
  for (const d of [',', ';', '\t'] as const) {
    const counts = lines.map((l) => Papa.parse<string[]>(l, { delimiter: d }).data[0]?.length ?? 1);
    const first = counts[0] ?? 1;
    const score = first > 1 && counts.every((n) => n === first) ? first * 2 : Math.max(...counts, 1) - 1;
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

/** Parses a whole CSV/TSV text (a BOM, quotes, CRLF and the delimiter handled). */
export function parseTableText(text: string): Table {
  const clean = text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(clean.slice(0, 64_000));
  const builder = new TableBuilder(delimiter);
  const parsed = Papa.parse<string[]>(clean, { delimiter, skipEmptyLines: false });
  builder.add(parsed.data);
  return builder.finish();
}

/** Reads one cell as a number, with the column's decimal mark; null when it is not one. */
export function cellNumber(cell: string, decimalComma: boolean): number | null {
  const text = decimalComma ? cell.replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.') : cell;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}

/** Cells that count as missing. */
export function isMissing(cell: string): boolean {
  return cell === '' || /^(na|n\/a|nan|null|none|-|\?)$/i.test(cell);
}
