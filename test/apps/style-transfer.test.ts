// Style transfer: the losses against hand computations, L-BFGS on a known minimum, and the
// optimisation mechanics with seeded random VGG19 features at a tiny size (no ImageNet weights
// exist on the test machines, so the pictures themselves are not judged here).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { contentLoss, gramMatrix, Lbfgs, styleLayerLoss, styleTransfer, totalVariationLoss, workingSize } from '../../src/apps/style-transfer/index.js';
import { runCliInProcess as cli } from '../util/in-process-cli.js';
import { sharedData } from '../util/shared-data.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-style-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const chelsea = sharedData('images', 'chelsea.png');
// VGG19 forward+backward even at 32x48 takes the pure-TypeScript conv kernels about 30 s per run
// on 2 cores; these steps are backend-independent code, so they run on the native backend only.
const vggRuns = nb.getBackend() === 'js' ? 'VGG19 steps are too slow on the js reference kernels (native backend only)' : false;

function close(actual: number, expected: number, tol = 1e-5): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);
}

test('Gram matrix, style, content and total-variation losses against hand computations', () => {
  // Positions (1,2), (3,4), (5,6), (7,8): G = sum f f^T / 4.
  const f = nb.tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
  const g = gramMatrix(f);
  assert.deepEqual([...g.shape], [2, 2]);
  assert.deepEqual([...(g.values as Float32Array)], [21, 25, 25, 30]);
  close(styleLayerLoss(g, nb.zeros([2, 2])).item() as number, (21 ** 2 + 2 * 25 ** 2 + 30 ** 2) / 16);
  close(contentLoss(f, nb.zeros([1, 2, 2, 2])).item() as number, (1 + 4 + 9 + 16 + 25 + 36 + 49 + 64) / 8);
  // Image [[0, 1, 3], [2, 5, 4]]: two positions, (4 + 1)^1.25 and (16 + 4)^1.25.
  const img = nb.tensor([0, 1, 3, 2, 5, 4], [1, 2, 3, 1]);
  close(totalVariationLoss(img).item() as number, (5 ** 1.25 + 20 ** 1.25) / 2);
  // The gradient of TV at a flat image (where the power's base is 0) is finite zero.
  const flat = nb.ones([1, 4, 4, 3]);
  const grad = nb.grad(totalVariationLoss)(flat);
  assert.ok([...(grad.values as Float32Array)].every((v) => v === 0));
});

test('L-BFGS finds the minimum of the Rosenbrock function', () => {
  const f = (x: Float64Array) => {
    const [a, b] = [x[0]!, x[1]!];
    return { loss: (1 - a) ** 2 + 100 * (b - a * a) ** 2, grad: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)) };
  };
  const opt = new Lbfgs(f, Float64Array.of(-1.2, 1));
  for (let i = 0; i < 100 && opt.current.loss > 1e-12; i++) opt.step();
  assert.ok(Math.abs(opt.current.x[0]! - 1) < 1e-4 && Math.abs(opt.current.x[1]! - 1) < 1e-4, `ended at ${[...opt.current.x]}`);
});

test('working size keeps the aspect; too small is an error', () => {
  assert.deepEqual(workingSize(300, 451, 384), [255, 384]);
  assert.deepEqual(workingSize(300, 451, 48), [32, 48]);
  assert.throws(() => workingSize(300, 451, 40), /at least 32/);
});

test('random-feature style transfer (32x48, Adam): the loss and the Gram distance to the style fall', { skip: vggRuns }, async () => {
  const steps = 4;
  const logs: number[] = [];
  const images: number[] = [];
  const r = await styleTransfer({
    content: chelsea, style: sharedData('images', 'brick.png'), size: 48, steps, weights: 'random', seed: 1,
    outputSize: 'work', saveEvery: 2, onStep: (l) => logs.push(l.step), onImage: (s) => images.push(s),
  });
  assert.equal(r.randomFeatures, true);
  assert.match(r.features, /RANDOM/);
  assert.deepEqual(logs, [1, 2, 3, 4]);
  assert.deepEqual(images, [2, 4]);
  assert.equal(r.history.length, steps + 1);
  const [first, last] = [r.history[0]!, r.history.at(-1)!];
  for (const h of r.history) assert.ok(Number.isFinite(h.total), 'finite losses');
  assert.ok(last.total < first.total / 1.8, `total loss ${first.total} -> ${last.total} (expected at least 1.8x lower)`);
  // The style term is the weighted squared Gram distance: it must fall too.
  assert.ok(last.style < first.style, `style (Gram) loss ${first.style} -> ${last.style}`);
  assert.deepEqual([...r.image.shape], [32, 48, 3]);
  assert.equal(r.image.dtype, 'int32');
  const px = r.image.values as Int32Array;
  assert.ok(px.every((v) => v >= 0 && v <= 255));
});


test('nabla style-transfer --random-features writes the image at the content size, intermediates and losses', { skip: vggRuns }, async () => {
  const out = join(tmp, 'cat.png');
  const r = await cli(['style-transfer', chelsea, sharedData('images', 'grass.png'), '-o', out, '--random-features', '--size', '48', '--steps', '2', '--save-every', '1', '--optimizer', 'lbfgs', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /RANDOM FEATURES/);
  assert.match(r.stdout, /step 1\/2 +total .* content .* style .* tv /);
  const figures = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(figures.randomFeatures, true);
  assert.equal(figures.optimizer, 'lbfgs');
  assert.ok(figures.finalLoss < figures.initialLoss);
  const img = nb.data.image.readImage(out);
  assert.deepEqual([...img.shape], [300, 451, 3], 'keeps the content image size');
  for (const s of ['0001', '0002']) assert.ok(existsSync(join(tmp, `cat-step${s}.png`)));
  const losses = JSON.parse(readFileSync(join(tmp, 'cat-losses.json'), 'utf8'));
  assert.equal(losses.history.length, 3);
  assert.match(losses.features, /RANDOM/);
});

test('nabla style-transfer without weights says which file to place where; usage errors exit 2', async () => {
  const saved = { home: process.env['HOME'], data: process.env['NABLA_DATA_DIR'] };
  process.env['HOME'] = mkdtempSync(join(tmpdir(), 'nabla-home-'));
  process.env['NABLA_DATA_DIR'] = mkdtempSync(join(tmpdir(), 'nabla-data-'));
  try {
    const r = await cli(['style-transfer', chelsea, chelsea, '-o', join(tmp, 'x.png')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /vgg19_weights_tf_dim_ordering_tf_kernels_notop\.h5/);
    assert.match(r.stderr, /\.nabla\/models/);
    assert.ok(!existsSync(join(tmp, 'x.png')), 'nothing written, no silent random substitute');
  } finally {
    for (const [k, v] of [['HOME', saved.home], ['NABLA_DATA_DIR', saved.data]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  assert.equal((await cli(['style-transfer', chelsea, chelsea])).status, 2);
  assert.equal((await cli(['style-transfer', chelsea, chelsea, '-o', 'x.png', '--weights', 'w.h5', '--random-features'])).status, 2);
  assert.equal((await cli(['style-transfer', chelsea, chelsea, '-o', 'x.png', '--optimizer', 'sgd'])).status, 2);
  const help = await cli(['style-transfer', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /block5_conv2/);
});
