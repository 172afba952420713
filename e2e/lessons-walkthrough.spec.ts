import { expect, test, type Page } from '@playwright/test';
import { driveLesson, figure, showPanel, trainOnce } from './lessons-helpers';

// Each built-in lesson from step 1 to its end, with its own (small) presets, as a student does it.
test('"What does one training run cost?" runs to its end on the student\'s own figures', async ({ page }) => {
  const started = Date.now();
  const asked = await driveLesson(page, 'cost-of-a-run', 'What does one training run cost?', [
    { act: trainOnce, question: /^Your run used between [\d.]+ Wh and [\d.]+ Wh \(typically [\d.]+ Wh\)\./, answer: (q) => `About ${figure(q, /typically [\d.]+ Wh/)}; the lab knows my kind of device, not its exact power.` },
    {
      act: async (page) => {
        await showPanel(page, 'footprint');
        await page.getByText('How is this computed?').first().click();
      },
      question: /^The grid in France averaged [\d.]+ gCO2 per kWh during your run\. Multiply [\d.e-]+ kWh by that/,
      answer: (q) => `Yes, ${figure(q, /[\d.e-]+ kWh/)} times ${figure(q, /[\d.]+ gCO2 per kWh/)} is about the reported figure.`,
    },
    {
      act: trainOnce,
      question: /^In Poland the same training emitted [\d.]+ times as much CO2 as in France, for energies of [\d.]+ Wh and [\d.]+ Wh; its grid was [\d.]+ times as carbon-intensive\./,
      answer: (q) => `${figure(q, /[\d.]+ times as much/)}: coal against nuclear, times the two energies.`,
    },
    { act: async (page) => showPanel(page, 'footprint'), question: /^Your runs emitted [\d.]+ mg in France and [\d.]+ mg in Poland\./, answer: () => 'Phone charges; it hides the range.' },
  ]);
  console.log(`cost-of-a-run: ${((Date.now() - started) / 1000).toFixed(1)} s; ${asked.join(' | ')}`);
  // Annual averages (Ember via @tgwf/co2): Poland's grid is many times France's, whatever the timing noise.
  expect(Number(figure(asked[2]!, /[\d.]+(?= times as carbon-intensive)/))).toBeGreaterThan(5);
});

test('"Bigger is not always better" runs to its end on the student\'s own figures', async ({ page }) => {
  const started = Date.now();
  const asked = await driveLesson(page, 'bigger-is-not-better', 'Bigger is not always better', [
    { act: trainOnce, question: /^The small network reached [\d.]+% test accuracy using [\d.]+ mWh\.$/, answer: (q) => `${figure(q, /[\d.]+%/)} for ${figure(q, /[\d.]+ mWh/)}.` },
    { act: trainOnce, question: /^The large network used [\d.]+ times the energy of the small one and changed accuracy by -?[\d.]+ points\./, answer: (q) => `${figure(q, /[\d.]+ times/)} the energy for ${figure(q, /-?[\d.]+ points/)}: not worth it.` },
    { act: trainOnce, question: /^With batches of 8 the run took [\d.]+ s of training and reached [\d.]+%\.$/, answer: (q) => `${figure(q, /[\d.]+ s/)}.` },
    { act: trainOnce, question: /^Batches of 128 needed -?[\d.]+% less energy than batches of 8, and accuracy changed by -?[\d.]+ points\./, answer: (q) => `${figure(q, /-?[\d.]+%/)} less: fewer, fuller steps.` },
  ]);
  console.log(`bigger-is-not-better: ${((Date.now() - started) / 1000).toFixed(1)} s; ${asked.join(' | ')}`);
  // Energy is power x time, and on a busy machine time is noisy: only that it was measured is certain.
  expect(Number(figure(asked[1]!, /[\d.]+(?= times)/))).toBeGreaterThan(0);
});

test('"When you train matters" runs to its end on the student\'s own figures', async ({ page }) => {
  const started = Date.now();
  const asked = await driveLesson(page, 'when-you-train-matters', 'When you train matters', [
    { act: trainOnce, question: /^Training at once emitted [\d.]+ mg at a mean intensity of [\d.]+ gCO2\/kWh\.$/, answer: (q) => `${figure(q, /[\d.]+ mg/)}.` },
    { act: trainOnce, question: /^Waiting saved -?[\d.]+% of the carbon of training at once, which is -?[\d.]+% of what perfect foresight/, answer: (q) => `${figure(q, /-?[\d.]+%/)}.` },
    { act: trainOnce, question: /^The threshold policy saved -?[\d.]+% against run-now\./, answer: (q) => `${figure(q, /-?[\d.]+%/)}; it does not plan ahead.` },
    { act: trainOnce, question: /^On PJM waiting saved -?[\d.]+%; on California it saved -?[\d.]+%\./, answer: () => 'The size of the daily swing.' },
  ]);
  console.log(`when-you-train-matters: ${((Date.now() - started) / 1000).toFixed(1)} s; ${asked.join(' | ')}`);
  // The saving depends on how long the job is in simulated hours (training time x rate), so only
  // that it was measured, as a finite percentage, is certain here.
  expect(Number.isFinite(Number(figure(asked[1]!, /-?[\d.]+(?=%)/)))).toBe(true);
});

/** Presses "Download model (zip)" in the Compress view and waits for the file. */
async function downloadModel(page: Page): Promise<void> {
  await showPanel(page, 'compress');
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model (zip)' }).click()]);
}

test('"Smaller models" runs to its end on the student\'s own figures', async ({ page }) => {
  const started = Date.now();
  const asked = await driveLesson(page, 'smaller-models', 'Smaller models', [
    { act: trainOnce, question: /^The dense model reached [\d.]+% test accuracy\.$/, answer: (q) => figure(q, /[\d.]+%/) },
    { act: downloadModel, question: /^The dense float32 export is [\d.]+ kB when zipped\.$/, answer: (q) => figure(q, /[\d.]+ kB/) },
    {
      act: async (page) => {
        await trainOnce(page);
        await downloadModel(page);
      },
      question: /^The pruned 8-bit file is [\d.]+ times smaller than dense float32, at [\d.]+% accuracy measured on the file itself \(the dense model had [\d.]+%\)\.$/,
      answer: (q) => `${figure(q, /[\d.]+ times/)} smaller.`,
    },
    {
      act: async (page) => {
        await showPanel(page, 'compress');
        const panel = page.getByTestId('compression-panel');
        await panel.getByRole('button', { name: 'Distil a student' }).click();
        await panel.getByRole('button', { name: 'Export the student instead' }).click({ timeout: 90_000 });
      },
      question: /^The student reached [\d.]+% with a file of [\d.]+ kB\./,
      answer: (q) => `${figure(q, /[\d.]+%/)}; on phones.`,
    },
  ]);
  console.log(`smaller-models: ${((Date.now() - started) / 1000).toFixed(1)} s; ${asked.join(' | ')}`);
  expect(Number(figure(asked[2]!, /[\d.]+(?= times)/))).toBeGreaterThan(1);
});

test('"The trade-off" runs to its end on the student\'s own figures', async ({ page }) => {
  const started = Date.now();
  const asked = await driveLesson(page, 'the-trade-off', 'The trade-off', [
    {
      act: async (page) => {
        await showPanel(page, 'explore');
        const panel = page.getByTestId('pareto-panel');
        const wanted: Record<string, string[]> = { batchSize: [], learningRate: [], hidden: ['32', '128'], sparsity: [], precision: ['float32', 'uint8'], policy: [] };
        for (const [dimension, values] of Object.entries(wanted)) {
          const boxes = panel.locator(`input[name=sweep-${dimension}]`);
          for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).setChecked(values.includes((await boxes.nth(i).getAttribute('value')) ?? ''));
        }
        await expect(panel.getByTestId('sweep-size')).toHaveText('4 configurations');
        await panel.getByRole('button', { name: 'Run sweep' }).click();
        await expect(panel.getByTestId('sweep-progress')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
        console.log(`the-trade-off: ${await panel.locator('[data-testid=sweep-table] tbody tr.front').count()} of 4 on the front`);
      },
      question: /^The sweep trained 4 configurations\./,
      answer: () => 'Two of them.',
    },
    {
      act: async (page) => {
        const beta = page.locator('input[name=sweep-beta]');
        await beta.focus();
        for (let i = 0; i < 10; i++) await beta.press('ArrowRight');
      },
      question: /^With your weights the pick reaches [\d.]+% at [\d.]+ mg\./,
      answer: (q) => `${figure(q, /[\d.]+%/)} at ${figure(q, /[\d.]+ mg/)}; a high gamma.`,
    },
    { act: trainOnce, question: /^The framework's run reached [\d.]+% using [\d.]+ Wh\./, answer: (q) => `${figure(q, /[\d.]+%/)}; the shrinking.` },
  ]);
  console.log(`the-trade-off: ${((Date.now() - started) / 1000).toFixed(1)} s; ${asked.join(' | ')}`);
});

test('"Serving the model" runs to its end on the student\'s own figures', async ({ page }) => {
  const started = Date.now();
  const asked = await driveLesson(page, 'serving-the-model', 'Serving the model', [
    { act: trainOnce, question: /^The model reached [\d.]+%\.$/, answer: (q) => figure(q, /[\d.]+%/) },
    {
      act: async (page) => {
        await showPanel(page, 'deploy');
        await page.getByTestId('deploy-run').click();
        await expect(page.getByTestId('deploy-recommendation')).toBeVisible({ timeout: 90_000 });
        const p95 = await page.locator('[data-testid=deploy-table] tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-backend')}/${tr.getAttribute('data-precision')}/${tr.getAttribute('data-batch')}:${tr.getAttribute('data-p95')}`));
        console.log(`deploy p95 ms: ${p95.join(' ')}`);
      },
      question: /^The lab recommends [a-z]+ at [a-z0-9]+ with batches of \d+\./,
      answer: (q) => `${figure(q, /batches of \d+/)}: fixed costs are shared.`,
    },
    { act: async (page) => page.getByTestId('deploy-target').fill('0.5'), question: /^With a 0.5 ms target the pick is [a-z]+ at batch \d+\./, answer: (q) => `${figure(q, /batch \d+/)}; more energy per answer.` },
    { act: async () => {}, question: /^Shipping the model to a device pays off after about [\d.,]+ requests per device\./, answer: (q) => `${figure(q, /[\d.,]+ requests/)}: not many.` },
  ]);
  console.log(`serving-the-model: ${((Date.now() - started) / 1000).toFixed(1)} s; ${asked.join(' | ')}`);
});
