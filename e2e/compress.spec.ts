import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import { expect, test } from '@playwright/test';
import { splitDataset } from '../src/core/data/dataset';
import { syntheticDataset } from '../src/core/data/synthetic';
import { validateResult } from '../src/core/result';
import { openLab, result, showView, waitForEnd } from './helpers';

const SEED = 5;
const HASH = `dataset=blobs&samples=1000&noise=0.3&hidden=32&epochs=3&seed=${SEED}&backend=wasm&prune=on&sparsity=0.8&pruneFrom=0&pruneTo=2&pruneEvery=5&precision=uint8`;

test('turning "Prune while training" on says what it costs, with the measured figure', async ({ page }) => {
  await openLab(page);
  await expect(page.getByTestId('note-prune')).toHaveCount(0);
  await page.locator('select[name=prune]').selectOption('on');
  await expect(page.getByTestId('note-prune')).toContainText('87.1% against 92.5%');
  await page.locator('select[name=prune]').selectOption('off');
  await expect(page.getByTestId('note-prune')).toHaveCount(0);
});

test('prune while training, quantize to uint8 and export; plain tfjs in Node loads the zip at the accuracy the lab reported', async ({ page }) => {
  await openLab(page, HASH);
  await showView(page, 'Compress');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  expect(await waitForEnd(page)).toBe('finished');
  // 80 % of each kernel, to the nearest whole weight (a 2x32 kernel keeps 13 of 64: 79.7 %).
  await expect(page.getByTestId('layer-sparsity')).toContainText(/dense_Dense1\/kernel\s*(79\.7|80\.\d)%/);
  await expect(page.getByTestId('compression-report')).toBeVisible();
  await expect(page.getByTestId('inference-energy')).toHaveText(/Wh/);

  const r = await result(page);
  expect(validateResult(r)).toEqual([]);
  const c = r?.compression;
  expect(c?.precision).toBe('uint8');
  expect(c?.sparsity).toBeGreaterThan(0.75);
  expect(c?.gzipBytes).toBeGreaterThan(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model (zip)' }).click()]);
  const bytes = new Uint8Array(readFileSync(await download.path()));
  const files = unzipSync(bytes);
  expect(Object.keys(files).sort()).toEqual(['group1-shard1of1.bin', 'metadata.json', 'model.json', 'run.csv']);
  const modelJson = JSON.parse(strFromU8(files['model.json'] as Uint8Array)) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  expect(modelJson.weightsManifest[0]?.weights.some((w) => w.quantization?.dtype === 'uint8')).toBe(true);
  const bin = files['group1-shard1of1.bin'] as Uint8Array;
  // uint8 kernels and biases: one byte per weight instead of four.
  expect(bin.length).toBe((c?.denseFloat32Bytes ?? 0) / 4);
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
  }));
  // The same test split the lab used: same generator, noise, test share and seed.
  const { test: testSet } = splitDataset(syntheticDataset('blobs', 1000, 0.3, SEED), 0.2, SEED);
  const predicted = tf.tidy(() => (model.predict(tf.tensor(testSet.x, [testSet.y.length, ...testSet.inputShape])) as tf.Tensor).argMax(-1).dataSync());
  const accuracy = Array.from(testSet.y).filter((y, i) => predicted[i] === y).length / testSet.y.length;
  expect(Math.abs(accuracy - (c?.accuracyAfter ?? -1))).toBeLessThanOrEqual(0.005);

  const metadata = strFromU8(files['metadata.json'] as Uint8Array);
  const meta = JSON.parse(metadata) as { link: string; labels: string[]; config: { compress: { precision: string } }; metrics: object; energy: object };
  expect(meta.link).toContain('prune=on');
  expect(meta.labels.length).toBe(testSet.numClasses);
  expect(meta.config.compress.precision).toBe('uint8');
  expect(meta.energy).toBeTruthy();
  expect(metadata).not.toMatch(/apikey|api_key|password|auth-token/i);
  expect(strFromU8(files['run.csv'] as Uint8Array).split('\n')[0]).toBe('epoch,train_loss,train_accuracy,test_loss,test_accuracy,kwh,gco2e');

  // The import path: a truncated file gets a clear error, the whole file loads and scores the same.
  await page.getByTestId('import-model').setInputFiles({ name: 'cut.zip', mimeType: 'application/zip', buffer: Buffer.from(bytes.subarray(0, bytes.length >> 1)) });
  await expect(page.getByTestId('import-error')).toContainText('cannot be loaded as an exported model');
  await expect(page.getByTestId('import-error')).toContainText(/zip/i);
  await page.getByTestId('import-model').setInputFiles({ name: 'model.zip', mimeType: 'application/zip', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('import-result')).toContainText(`test accuracy ${(accuracy * 100).toFixed(1)}%`);
});
