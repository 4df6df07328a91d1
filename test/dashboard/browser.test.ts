// End to end in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core)
// watches the dashboard while a short training run writes to the log directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { startDashboard } from '../../src/dashboard/index.js';

const CHROMIUM = process.env.NABLA_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('browser: the chart gains points while training runs; the image slider changes the image', { skip, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const logdir = mkdtempSync(join(tmpdir(), 'nabla-e2e-'));
  const dash = await startDashboard({ logdir, port: 0, pollMs: 100 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    nb.setSeed(3);
    const x = nb.tensor(Float32Array.from({ length: 64 }, (_, i) => ((i * 37) % 17) / 17 - 0.5), [32, 2]);
    const y = nb.tensor(Float32Array.from({ length: 32 }, (_, i) => (x.values[2 * i]! + x.values[2 * i + 1]! > 0 ? 1 : 0)), [32, 1]);
    const model = nb.keras.sequential([nb.keras.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const samples = nb.summary.createFileWriter(join(logdir, 'samples'), { formats: ['runlog'] });
    let gate: () => void = () => {};
    const paced = new nb.keras.callbacks.LambdaCallback({
      onEpochEnd: async (epoch: number) => {
        // A sample image per epoch: a gradient whose brightness follows the epoch.
        samples.image('sample', nb.tensor(Float32Array.from({ length: 64 }, (_, i) => ((i % 8) / 8) * (epoch + 1) / 6), [8, 8, 1]), epoch);
        if (epoch === 1) await new Promise<void>((r) => (gate = r)); // hold until the page has looked
        await sleep(150);
      },
    });
    const training = model.fit(x, y, { epochs: 6, batchSize: 8, verbose: 0, callbacks: [new nb.keras.callbacks.TensorBoard({ logDir: join(logdir, 'run') }), paced] });

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(dash.url);
    // Browser-side expressions are strings: the test project has no DOM typings.
    const COUNT = `document.querySelectorAll('[data-tag="epoch_loss"] .mark-symbol path').length`;
    const points = () => page.evaluate(COUNT) as Promise<number>;
    await page.waitForFunction(`${COUNT} > 0`, null, { timeout: 20_000 });
    const early = await points();
    gate();
    await training;
    // Training is over: 6 epochs, 1 run (train) with epoch_loss.
    await page.waitForFunction(`${COUNT} >= 6`, null, { timeout: 20_000 });
    const late = await points();
    assert.ok(late > early, `the chart gained points while training went on (${early} -> ${late})`);

    const slider = page.locator('[data-key="images|samples|sample"] input.step-slider');
    const img = page.locator('[data-key="images|samples|sample"] img');
    await page.waitForFunction(`document.querySelector('[data-key="images|samples|sample"] input')?.getAttribute('max') === '5'`, null, { timeout: 20_000 });
    const last = await img.getAttribute('src');
    await slider.fill('0');
    const first = await img.getAttribute('src');
    assert.notEqual(first, last);
    assert.match(first ?? '', /images%2Fsample%2F0\.png/);
    await page.waitForFunction(`document.querySelector('[data-key="images|samples|sample"] img').naturalWidth === 8`, null, { timeout: 10_000 });
    const loaded = await page.evaluate(`document.querySelector('[data-key="images|samples|sample"] img').complete`);
    assert.ok(loaded, 'the image loaded as an 8x8 PNG');
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: join('test-artifacts', 'dashboard.png'), fullPage: true });
    samples.close();
  } finally {
    await browser.close();
    await dash.close();
  }
});
