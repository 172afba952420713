/**
 * Generated own data for the e2e specs and the data benchmark: PNG images (encoded here with
 * node:zlib), zips of class folders, and CSV tables in the shapes European spreadsheets export.
 */
import { deflateSync } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';
import { crc32 } from '../src/core/compress/crc32.ts';
import { mulberry32 } from '../src/core/data/prng.ts';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An RGB PNG (PNG spec, ISO/IEC 15948: 8-bit truecolour, filter 0 on every row). `pixel(x, y)` gives [r, g, b]. */
export function png(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number]): Uint8Array {
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (1 + width * 3) + 1 + x * 3);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A zip of class folders: `dark/` images are dark with a bright bar on the left, `light/` ones
 * light with a dark bar on the right (easy to tell apart), with noise from the seed.
 */
export function classFolderZip(perClass: number, options: { size?: number; corrupt?: string; seed?: number } = {}): Uint8Array {
  const size = options.size ?? 16;
  const rand = mulberry32(options.seed ?? 7);
  const tree: Zippable = {};
  for (const cls of ['dark', 'light']) {
    for (let i = 0; i < perClass; i++) {
      tree[`${cls}/${i}.png`] = png(size, size, (x) => {
        const base = cls === 'dark' ? (x < size / 4 ? 220 : 30) : x >= (3 * size) / 4 ? 30 : 220;
        const v = Math.max(0, Math.min(255, base + Math.round((rand() - 0.5) * 60)));
        return [v, v, v];
      });
    }
  }
  if (options.corrupt) tree[options.corrupt] = new TextEncoder().encode('this is not a PNG');
  return zipSync(tree, { level: 0 });
}

/**
 * A CSV as a German spreadsheet exports it: `;` between fields, decimal commas, a quoted free-text
 * column (with `;` inside the quotes), missing values, a categorical column and the label last.
 * Three classes, told apart by `length` and `colour`.
 */
export function europeanCsv(rows: number, seed = 11): string {
  const rand = mulberry32(seed);
  const classes = ['small', 'medium', 'large'];
  const colours = ['rot', 'grün', 'blau'];
  const lines = ['id;length;weight;colour;note;size'];
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    const length = (c * 3 + rand() * 1.5).toFixed(2).replace('.', ',');
    const weight = i % 17 === 5 ? '' : (10 + rand() * 5).toFixed(1).replace('.', ',');
    const colour = i % 23 === 7 ? '' : colours[rand() < 0.8 ? c : Math.floor(rand() * 3)];
    lines.push(`${i + 1};${length};${weight};${colour};"note ${i}; free ""text"" here";${classes[c]}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A plain numeric CSV of about `bytes` bytes: 8 features, the label last (for the benchmark). */
export function numericCsv(bytes: number, seed = 5): string {
  const rand = mulberry32(seed);
  const lines = ['f1,f2,f3,f4,f5,f6,f7,f8,label'];
  let size = lines[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const c = i % 4;
    const line = `${Array.from({ length: 8 }, (_, k) => (c * (k % 3) + rand() * 2).toFixed(4)).join(',')},c${c}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}
