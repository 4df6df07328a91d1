import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { buildCycleGan, cycleGanTrainStep, ImagePool } from '../../src/apps/cyclegan/model.js';
import { loadGanData, toPixels } from '../../src/apps/gan/data.js';
import { main } from '../../src/cli/main.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-cyclegan-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const snapshot = (m: nb.keras.Model): Float32Array[] => m.trainableWeights.map((w) => Float32Array.from(w.dataSync()));
const allMoved = (a: Float32Array[], b: Float32Array[]): boolean => a.every((w, i) => w.some((v, k) => v !== b[i]![k]));

test('CycleGAN step: both generators and both PatchGAN discriminators update; losses finite; shapes', () => {
  nb.setSeed(5);
  const m = buildCycleGan({ filters: 2, resBlocks: 1, poolSize: 4 });
  const a = nb.randomUniform([2, 28, 28, 1], -1, 1);
  const b = nb.randomUniform([2, 28, 28, 1], -1, 1);
  assert.deepEqual((m.gAB.predict(a) as nb.Tensor).shape, [2, 28, 28, 1]);
  assert.deepEqual((m.dA.predict(a) as nb.Tensor).shape, [2, 7, 7, 1], 'PatchGAN: a 7x7 map of scores');
  assert.ok(m.gAB.layers.some((l) => l instanceof nb.keras.layers.InstanceNormalization));
  const before = [m.gAB, m.gBA, m.dA, m.dB].map(snapshot);
  const step = cycleGanTrainStep(m, a, b);
  for (const [k, v] of Object.entries(step)) assert.ok(Number.isFinite(v) && v >= 0, `${k} = ${v}`);
  // gLoss = adversarial + 10 * (cycle + 0.5 * identity)
  assert.ok(Math.abs(step.gLoss - (step.gAdv + 10 * (step.cycle + 0.5 * step.identity))) < 1e-3 * step.gLoss);
  [m.gAB, m.gBA, m.dA, m.dB].forEach((net, i) => assert.ok(allMoved(before[i]!, snapshot(net)), `${net.name}: every trainable weight updated`));
  assert.equal(m.poolA.length, 2);
});

test('ImagePool: stores fakes until full, then returns a mix of new and stored ones', () => {
  nb.setSeed(1);
  const pool = new ImagePool(3);
  const batch = (v: number): nb.Tensor => nb.fill([2, 1, 1, 1], v);
  assert.deepEqual([...pool.query(batch(1)).dataSync()], [1, 1]);
  const second = [...pool.query(batch(2)).dataSync()];
  assert.equal(second[0], 2, 'the pool fills up to 3 first');
  assert.ok(second[1] === 1 || second[1] === 2, 'then a new fake or a stored one');
  const seen = new Set<number>();
  for (let i = 0; i < 20; i++) for (const v of pool.query(batch(10 + i)).dataSync()) seen.add(v);
  assert.ok([...seen].some((v) => v < 10 + 19 && v !== 10 + 19), 'older fakes come back');
  assert.ok(seen.has(29), 'new fakes pass through');
  assert.equal(pool.length, 3);
  assert.equal(new ImagePool(0).query(batch(5)).shape[0], 2);
});

test('nabla train cyclegan --data-a DIR --data-b DIR: grids, report, generators, JSON figures', async () => {
  const digits = loadGanData({ dataset: 'digits' });
  const labels = digits.labels!;
  for (const [dir, k] of [['A', 1], ['B', 7]] as const) {
    mkdirSync(join(tmp, dir));
    let written = 0;
    for (let i = 0; i < labels.length && written < 12; i++) {
      if (labels[i] !== k) continue;
      const img = nb.slice(toPixels(digits.images), [i, 0, 0, 0], [1, 28, 28, 1]);
      nb.data.image.writeImage(join(tmp, dir, `${written++}.png`), nb.reshape(img, [28, 28, 1]));
    }
  }
  const out = join(tmp, 'run');
  const args = ['train', 'cyclegan', '--data-a', join(tmp, 'A'), '--data-b', join(tmp, 'B'), '--epochs', '1', '--batch-size', '4', '--filters', '2', '--res-blocks', '1', '--out', out, '--json'];
  const saved = process.stdout.write;
  const chunks: string[] = [];
  process.stdout.write = ((c: string | Uint8Array) => chunks.push(String(c)) > 0) as typeof process.stdout.write;
  let status: number;
  try {
    status = await main(args);
  } finally {
    process.stdout.write = saved;
  }
  assert.equal(status, 0);
  const figures = JSON.parse(chunks.join('').trim().split('\n').at(-1)!) as Record<string, unknown>;
  for (const key of ['model', 'cycleErrorA', 'cycleErrorB', 'cycleErrorInitial', 'targetAccuracyAB', 'history', 'steps', 'generatorPaths', 'reportPath']) assert.ok(key in figures, `missing ${key}`);
  assert.equal(figures['model'], 'cyclegan');
  assert.equal(figures['targetAccuracyAB'], null, 'folders have no classes');
  assert.equal(figures['imagesA'], 9, '12 images, 3 held out');
  assert.equal(figures['steps'], 2);
  for (const file of ['epoch-001.png', 'progress.png', 'losses.png', 'report.html', 'generator_ab.nabla', 'generator_ba.nabla', 'result.json']) {
    assert.ok(existsSync(join(out, file)), `${file} was not written`);
  }
  assert.deepEqual(nb.data.image.readImage(join(out, 'epoch-001.png')).shape.slice(0, 2), [6 * 28 + 7 * 2, 3 * 28 + 4 * 2]);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /cycle error/);
  const ab = nb.keras.loadModel(join(out, 'generator_ab.nabla'));
  assert.deepEqual((ab.predict(nb.zeros([1, 28, 28, 1])) as nb.Tensor).shape, [1, 28, 28, 1]);
});

test('nabla train cyclegan: missing or half-given folders are errors naming the flag', async () => {
  const saved = process.stderr.write;
  const err: string[] = [];
  process.stderr.write = ((c: string | Uint8Array) => err.push(String(c)) > 0) as typeof process.stderr.write;
  try {
    assert.equal(await main(['train', 'cyclegan', '--data-a', tmp]), 1);
    assert.match(err.join(''), /give both --data-a and --data-b/);
    assert.equal(await main(['train', 'cyclegan', '--data-a', join(tmp, 'nope'), '--data-b', join(tmp, 'nope')]), 1);
    assert.match(err.join(''), /cyclegan --data-a: '.*nope' is not a folder/);
    assert.equal(await main(['train', 'cyclegan', '--class-a', '12']), 2);
    assert.match(err.join(''), /--class-a must be an integer from 0 to 9/);
  } finally {
    process.stderr.write = saved;
  }
});
