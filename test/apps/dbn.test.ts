import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { RBM } from '../../src/apps/dbn/rbm.js';
import { DBN } from '../../src/apps/dbn/dbn.js';
import { toVisible } from '../../src/apps/dbn/train.js';
import { loadData } from '../../src/apps/mnist/data.js';
import { runCliInProcess } from '../util/in-process-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-dbn-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

// The UCI 8x8 digits that ship in data/ (real data, 1,438 training rows): pixels / 255 in [0, 1].
const digits = loadData({ dataset: 'digits' });
const xDigits = toVisible(digits.train[0]);

/** `nabla train dbn ARGS` in this process, with its output captured. */
const runCommand = (args: string[]) => runCliInProcess(['train', 'dbn', ...args]);

const rows = (t: nb.Tensor): number[][] => t.arraySync() as number[][];
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

test('CD-1 update on a tiny RBM equals a float64 hand computation (two steps, so momentum counts)', () => {
  const W0 = [
    [0.2, -0.1],
    [-0.3, 0.4],
    [0.05, 0.1],
  ];
  const b0 = [0.1, -0.2, 0.0];
  const c0 = [-0.1, 0.3];
  const v0 = [
    [1, 0, 1],
    [0, 1, 1],
  ];
  const hStart = [
    [1, 0],
    [0, 1],
  ];
  const lr = 0.5;
  const momentum = 0.9;
  const decay = 0.01;
  const rbm = new RBM({ visibleUnits: 3, hiddenUnits: 2 });
  rbm.weights.assign(nb.tensor(W0));
  rbm.visibleBias.assign(nb.tensor(b0));
  rbm.hiddenBias.assign(nb.tensor(c0));

  // Hand computation in float64.
  let W = W0.map((r) => [...r]);
  let b = [...b0];
  let c = [...c0];
  const velW = W.map((r) => r.map(() => 0));
  const velB = b.map(() => 0);
  const velC = c.map(() => 0);
  for (let step = 0; step < 2; step++) {
    const up = (v: number[]) => c.map((cj, j) => sigmoid(cj + v.reduce((s, vi, i) => s + vi * W[i]![j]!, 0)));
    const down = (h: number[]) => b.map((bi, i) => sigmoid(bi + h.reduce((s, hj, j) => s + hj * W[i]![j]!, 0)));
    const ph0 = v0.map(up);
    const v1 = hStart.map(down);
    const ph1 = v1.map(up);
    // The RBM does the same with nb ops: positive phase (v0, P(h|v0)), negative phase after one Gibbs step from hStart.
    const posV = nb.tensor(v0);
    const negV = rbm.propDown(nb.tensor(hStart));
    rbm.applyUpdate({ visible: posV, hidden: rbm.propUp(posV) }, { visible: negV, hidden: rbm.propUp(negV) }, { learningRate: lr, momentum, weightDecay: decay });
    const m = v0.length;
    const nW = W.map((r, i) =>
      r.map((w, j) => {
        let pos = 0;
        let neg = 0;
        for (let n = 0; n < m; n++) {
          pos += v0[n]![i]! * ph0[n]![j]!;
          neg += v1[n]![i]! * ph1[n]![j]!;
        }
        velW[i]![j] = momentum * velW[i]![j]! + lr * (pos / m - neg / m - decay * w);
        return w + velW[i]![j]!;
      }),
    );
    const nb_ = b.map((bi, i) => {
      const g = (v0.reduce((s, r) => s + r[i]!, 0) - v1.reduce((s, r) => s + r[i]!, 0)) / m;
      velB[i] = momentum * velB[i]! + lr * g;
      return bi + velB[i]!;
    });
    const nc = c.map((cj, j) => {
      const g = (ph0.reduce((s, r) => s + r[j]!, 0) - ph1.reduce((s, r) => s + r[j]!, 0)) / m;
      velC[j] = momentum * velC[j]! + lr * g;
      return cj + velC[j]!;
    });
    W = nW;
    b = nb_;
    c = nc;
  }
  // float32 against float64: agreement to 1e-5 is far below the size of one update (~1e-2).
  const got = rows(rbm.weights);
  W.forEach((r, i) => r.forEach((w, j) => assert.ok(Math.abs(got[i]![j]! - w) < 1e-5, `W[${i}][${j}] = ${got[i]![j]} vs hand ${w}`)));
  const gotB = [...rbm.visibleBias.dataSync()];
  b.forEach((x, i) => assert.ok(Math.abs(gotB[i]! - x) < 1e-5, `b[${i}] = ${gotB[i]} vs hand ${x}`));
  const gotC = [...rbm.hiddenBias.dataSync()];
  c.forEach((x, j) => assert.ok(Math.abs(gotC[j]! - x) < 1e-5, `c[${j}] = ${gotC[j]} vs hand ${x}`));
  // And the update really moved the weights.
  assert.ok(Math.abs(W[1]![1]! - W0[1]![1]!) > 1e-3);
});

test('CD-1 on the digits: reconstruction error falls, samples are binary, data has lower free energy than noise', () => {
  nb.setSeed(11);
  const rbm = new RBM({ visibleUnits: 64, hiddenUnits: 32 });
  const { reconstructionError: err } = rbm.train(xDigits, { epochs: 4, k: 1 });
  assert.equal(err.length, 4);
  // Threshold: the last epoch's error at most 0.8x the first (measured: about 0.5x).
  assert.ok(err.at(-1)! <= 0.8 * err[0]!, `reconstruction error ${err.map((e) => e.toFixed(4)).join(' -> ')}`);

  const batch = nb.slice(xDigits, [0, 0], [20, 64]);
  const h = rbm.sampleHidden(batch);
  const v = rbm.sampleVisible(h);
  assert.deepEqual(h.shape, [20, 32]);
  assert.deepEqual(v.shape, [20, 64]);
  for (const t of [h, v]) assert.ok([...t.dataSync()].every((x) => x === 0 || x === 1), 'samples must be 0 or 1');
  // Samples are random: hidden units are neither all on nor all off.
  const onShare = nb.mean(h).dataSync()[0]!;
  assert.ok(onShare > 0.02 && onShare < 0.98, `share of hidden units on: ${onShare}`);

  const fe = rbm.freeEnergy(nb.slice(xDigits, [0, 0], [200, 64]));
  assert.deepEqual(fe.shape, [200]);
  const noise = nb.cast(nb.less(nb.randomUniform([200, 64]), 0.5), 'float32');
  const feData = nb.mean(fe).dataSync()[0]!;
  const feNoise = nb.mean(rbm.freeEnergy(noise)).dataSync()[0]!;
  // Training lowers the free energy of data relative to coin-flip noise by a wide margin.
  assert.ok(feData + 5 < feNoise, `free energy: data ${feData}, noise ${feNoise}`);
});

test('PCD-3 on the digits: reconstruction error falls too, and the run is reproducible from the seed', () => {
  const run = () => {
    nb.setSeed(5);
    const rbm = new RBM({ visibleUnits: 64, hiddenUnits: 32 });
    return rbm.train(nb.slice(xDigits, [0, 0], [800, 64]), { epochs: 4, k: 3, persistent: true }).reconstructionError;
  };
  const err = run();
  // Same threshold as CD: the last epoch at most 0.8x the first (measured: 0.65-0.66x for seeds 5-7).
  assert.ok(err.at(-1)! <= 0.8 * err[0]!, `PCD reconstruction error ${err.map((e) => e.toFixed(4)).join(' -> ')}`);
  assert.deepEqual(run(), err);
});

test('RBM and DBN reject bad input with typed errors that name them', () => {
  const rbm = new RBM({ visibleUnits: 64, hiddenUnits: 8 });
  assert.throws(() => rbm.propUp(nb.zeros([2, 63])), (e: Error) => e instanceof nb.ShapeError && /RBM\.propUp: expected visible values of shape \[batch, 64\], got \[2, 63\]/.test(e.message));
  assert.throws(() => rbm.train(nb.mul(xDigits, 255)), (e: Error) => e instanceof nb.InvalidArgumentError && /RBM\.train: .*\[0, 1\].*x \/ 255/.test(e.message));
  assert.throws(() => rbm.train(xDigits, { k: 0 }), (e: Error) => e instanceof nb.InvalidArgumentError && /k must be an integer >= 1, got 0/.test(e.message));
  assert.throws(() => rbm.train(xDigits, { momentum: 1 }), (e: Error) => e instanceof nb.InvalidArgumentError && /momentum must be in \[0, 1\)/.test(e.message));
  assert.throws(() => new DBN({ visibleUnits: 64, hiddenLayers: [] }), (e: Error) => e instanceof nb.InvalidArgumentError && /DBN: hiddenLayers is empty/.test(e.message));
});

test('DBN: greedy pre-training trains each layer on the one below, and unrolls into a Keras classifier holding the RBM weights', () => {
  nb.setSeed(3);
  const dbn = new DBN({ visibleUnits: 64, hiddenLayers: [32, 16] });
  const x = nb.slice(xDigits, [0, 0], [400, 64]);
  const errors = dbn.pretrain(x, { epochs: 2 });
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => e.length === 2));
  assert.deepEqual(dbn.transform(x).shape, [400, 16]);
  assert.deepEqual(dbn.sample(nb.slice(x, [0, 0], [5, 64]), 3).shape, [5, 64]);
  const model = dbn.toClassifier({ numClasses: 10 });
  const [kernel, bias] = model.getLayer('dbn_dense_1').getWeights();
  assert.deepEqual([...kernel!.dataSync()], [...dbn.rbms[1]!.weights.dataSync()]);
  assert.deepEqual([...bias!.dataSync()], [...dbn.rbms[1]!.hiddenBias.dataSync()]);
  const probs = model.predict(x) as nb.Tensor;
  assert.deepEqual(probs.shape, [400, 10]);
});

test('train dbn --json on the digits: pre-trained classifier beats chance, figures and pictures are written', async () => {
  const out = join(tmp, 'run');
  const r = await runCommand(['--dataset', 'digits', '--limit', '700', '--layers', '48,24', '--pretrain-epochs', '3', '--finetune-epochs', '10', '--batch-size', '16', '--seed', '7', '--json', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /RBM 2\/2 epoch 3\/3: reconstruction error/);
  const figures = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  for (const key of ['pretrainedAccuracy', 'randomInitAccuracy', 'reconstructionError', 'pretrainSeconds', 'layers', 'backend']) assert.ok(key in figures, `missing ${key}`);
  const recon = figures['reconstructionError'] as number[][];
  assert.equal(recon.length, 2);
  // Chance is 10% on ten classes; a fine-tuned 64-48-24 DBN on 700 images must reach 50% (measured: ~70%; random init ~65%).
  const acc = figures['pretrainedAccuracy'] as number;
  assert.ok(acc >= 0.5, `pre-trained test accuracy ${acc}`);
  assert.ok((figures['randomInitAccuracy'] as number) > 0);
  for (const file of ['filters.png', 'gibbs.png', 'dbn-samples.png', 'reconstruction.png', 'finetune.png', 'report.html']) {
    assert.ok(existsSync(join(out, file)), `${file} was not written`);
  }
  assert.deepEqual([...readFileSync(join(out, 'filters.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal((html.match(/src="data:image\/png;base64,/g) ?? []).length, 5, 'five inlined pictures');
});

test('train dbn: command-line mistakes exit 2 with a message naming the flag', async () => {
  for (const [args, pattern] of [
    [['--layers', '64,abc'], /--layers must be a comma-separated list of positive integers/],
    [['--cd-k', '0'], /--cd-k must be an integer from 1 to 1000, got '0'/],
    [['--dataset', 'cifar'], /--dataset must be one of fashion-mnist, digits/],
    [['--lr', '0'], /--lr must be a positive number/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--data-dir', '/tmp'], /--data-dir needs --dataset/],
  ] as const) {
    const r = await runCommand([...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  // A missing dataset is failing work, not a usage mistake: exit 1 with the folder named.
  const missing = await runCommand(['--dataset', 'fashion-mnist', '--data-dir', join(tmp, 'nothing-here')]);
  assert.equal(missing.status, 1, missing.stderr);
  assert.match(missing.stderr, /fashion-mnist: '.*nothing-here' does not hold train-images-idx3-ubyte/);
  const help = await runCommand(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--persistent/);
});
