import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../src/index.js';
import { writeImage } from '../../src/data/image/index.js';
import { findIdxFolder, loadData, readDigits, shippedDigitsPath } from '../../src/apps/mnist/data.js';
import { sharedData } from '../util/shared-data.js';
import { lastJsonLine as lastJson, runCliInProcess as inProcess } from '../util/in-process-cli.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = mkdtempSync(join(tmpdir(), 'nabla-mnist-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}



const outDir = join(tmp, 'run');
let trained: { status: number | null; stdout: string; stderr: string } | null = null;
function trainOnce() {
  trained ??= cli(['train', 'mnist', '--dataset', 'digits', '--epochs', '3', '--json', '--out', outDir]);
  return trained;
}

test('train mnist --dataset digits --json: exits 0, ends with the figures, writes the model and the report', () => {
  const r = trainOnce();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Epoch 3\/3/);
  assert.match(r.stdout, /Dataset: digits from .*digits\.csv\.gz/);
  const figures = lastJson(r.stdout);
  for (const key of ['testAccuracy', 'epochs', 'trainSeconds', 'samplesPerSecond', 'dataset', 'backend', 'datasetPath', 'outDir']) {
    assert.ok(key in figures, `missing ${key}`);
  }
  assert.equal(figures['dataset'], 'digits');
  assert.equal(figures['epochs'], 3);
  assert.equal(figures['backend'], process.env['NABLA_BACKEND'] ?? nb.getBackend());
  assert.equal(figures['outDir'], outDir);
  assert.ok((figures['testAccuracy'] as number) > 0.5, `test accuracy ${String(figures['testAccuracy'])}`);
  assert.ok((figures['samplesPerSecond'] as number) > 0);
  for (const file of ['report.html', 'loss.png', 'accuracy.png', 'confusion.png', 'samples.png', 'model.nabla', 'meta.json', 'logs/train/summaries.jsonl', 'logs/validation/summaries.jsonl']) {
    assert.ok(existsSync(join(outDir, file)), `${file} was not written`);
  }
  const png = readFileSync(join(outDir, 'loss.png'));
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const html = readFileSync(join(outDir, 'report.html'), 'utf8');
  assert.equal((html.match(/src="data:image\/png;base64,/g) ?? []).length, 4, 'four inlined images');
  assert.doesNotMatch(html, /src="(?!data:)/, 'no external resources');
  for (const text of ['Confusion matrix', 'precision', 'recall', 'batch size', 'digits']) assert.ok(html.includes(text), `report lacks '${text}'`);
});

test('the saved model loads with nb.keras.loadModel and reproduces the reported test accuracy', () => {
  assert.equal(trainOnce().status, 0);
  const figures = lastJson(trainOnce().stdout);
  const model = nb.keras.loadModel(join(outDir, 'model.nabla'));
  const { test: [x, y] } = loadData({ dataset: 'digits' });
  const probs = model.predict(x) as nb.Tensor;
  assert.deepEqual(probs.shape, [x.shape[0], 10]);
  const accuracy = nb.mean(nb.cast(nb.equal(nb.argMax(probs, 1), y), 'float32')).item();
  assert.ok(Math.abs(accuracy - (figures['testAccuracy'] as number)) < 1e-6, `${accuracy} vs ${String(figures['testAccuracy'])}`);
});

test('nabla predict classifies PNG files written from digits and Fashion-MNIST images', () => {
  assert.equal(trainOnce().status, 0);
  const [x] = readDigits(shippedDigitsPath());
  const digit = nb.cast(nb.round(nb.reshape(nb.slice(x, [0, 0, 0, 0], [1, 8, 8, 1]), [8, 8, 1])), 'int32');
  const digitPath = join(tmp, 'digit.png');
  writeImage(digitPath, digit);
  const fashion = nb.datasets.fashionMnist.load({ path: sharedData('fashion-mnist') }).test[0];
  const shoePath = join(tmp, 'fashion.png');
  writeImage(shoePath, nb.reshape(nb.slice(fashion, [0, 0, 0], [1, 28, 28]), [28, 28, 1]));
  const r = cli(['predict', join(outDir, 'model.nabla'), digitPath, shoePath, '--top', '3', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${digitPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d \\(class \\d\\) probability 0\\.\\d+`));
  const { predictions } = lastJson(r.stdout) as { predictions: { image: string; class: number; probability: number; top: unknown[] }[] };
  assert.equal(predictions.length, 2);
  for (const p of predictions) {
    assert.ok(Number.isInteger(p.class) && p.class >= 0 && p.class < 10);
    assert.ok(p.probability > 0 && p.probability <= 1);
    assert.equal(p.top.length, 3);
  }
});

test('without --dataset the command says which dataset it picked and where it found it', () => {
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  const r = cli(['train', 'mnist', '--epochs', '1', '--limit', '256', '--out', join(tmp, 'auto')], { NABLA_DATA_DIR: empty, HOME: empty });
  assert.equal(r.status, 0, r.stderr);
  const fashion = findIdxFolder('fashion-mnist'); // Debian's dataset-fashion-mnist, when installed
  const expected = fashion ? `Dataset: fashion-mnist (first found of mnist, fashion-mnist, digits) from ${fashion}` : 'Dataset: digits (first found of mnist, fashion-mnist, digits) from ';
  assert.ok(r.stdout.includes(expected), r.stdout.split('\n').slice(0, 3).join('\n'));
});

test('loadData picks MNIST first when it is found, and names the folder', () => {
  const dataDir = join(tmp, 'datadir');
  mkdirSync(join(dataDir, 'mnist'), { recursive: true });
  for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
    symlinkSync(sharedData('fashion-mnist', f), join(dataDir, 'mnist', f));
  }
  const saved = process.env['NABLA_DATA_DIR'];
  process.env['NABLA_DATA_DIR'] = dataDir;
  try {
    const data = loadData({ limit: 100 });
    assert.equal(data.dataset, 'mnist');
    assert.equal(data.how, 'auto');
    assert.equal(data.path, join(dataDir, 'mnist'));
    assert.deepEqual(data.train[0].shape, [100, 28, 28, 1]);
    assert.deepEqual(data.test[0].shape, [10000, 28, 28, 1]);
  } finally {
    if (saved === undefined) delete process.env['NABLA_DATA_DIR'];
    else process.env['NABLA_DATA_DIR'] = saved;
  }
});

test('the digits split is the same in every process: 1438 train and 359 test images', () => {
  const a = loadData({ dataset: 'digits' });
  assert.deepEqual(a.train[0].shape, [1438, 8, 8, 1]);
  assert.deepEqual(a.test[0].shape, [359, 8, 8, 1]);
  const b = loadData({ dataset: 'digits', limit: 10 });
  assert.deepEqual(Array.from(b.train[1].dataSync()), Array.from(a.train[1].dataSync()).slice(0, 10));
});

test('help texts: nabla, train, train mnist, train iris, predict', async () => {
  const top = await inProcess(['--help']);
  assert.equal(top.status, 0);
  assert.match(top.stdout, /nabla train mnist/);
  assert.match(top.stdout, /nabla predict MODEL IMAGE/);
  const mnist = await inProcess(['train', 'mnist', '--help']);
  assert.equal(mnist.status, 0);
  for (const flag of ['--dataset', '--epochs', '--batch-size', '--limit', '--seed', '--out', '--json', '--dashboard']) assert.ok(mnist.stdout.includes(flag), flag);
  assert.match((await inProcess(['train', '--help'])).stdout, /nabla train mnist/);
  assert.match((await inProcess(['train', 'iris', '--help'])).stdout, /--lr/);
  const predict = await inProcess(['predict', '--help']);
  assert.equal(predict.status, 0);
  assert.match(predict.stdout, /Usage: nabla predict MODEL IMAGE/);
});

test('bad flags and values exit with 2 and say what is wrong', async () => {
  // One real process, to see the exit status itself; the rest in this process.
  const spawned = cli(['train', 'mnist', '--bogus']);
  assert.equal(spawned.status, 2);
  assert.match(spawned.stderr, /Unknown option '--bogus'/);
  const cases: [string[], RegExp][] = [
    [['train', 'mnist', '--bogus'], /Unknown option '--bogus'.*nabla train mnist --help/],
    [['train', 'mnist', '--epochs', 'zero'], /--epochs must be an integer from 1 to \d+, got 'zero'/],
    [['train', 'mnist', '--epochs', '0'], /--epochs must be an integer/],
    [['train', 'mnist', '--batch-size', '2.5'], /--batch-size must be an integer/],
    [['train', 'mnist', '--limit', '-3'], /--limit/],
    [['train', 'mnist', '--validation-split', '1'], /--validation-split must be at least 0 and below 1, got '1'/],
    [['train', 'mnist', '--validation-split', 'half'], /--validation-split must be a number, got 'half'/],
    [['train', 'mnist', '--dataset', 'cifar10'], /--dataset must be one of mnist, fashion-mnist, digits; got 'cifar10'/],
    [['train', 'mnist', '--epochs'], /--epochs/],
    [['train', 'mnist', 'extra'], /Unexpected argument 'extra'|unexpected/i],
    [['train', 'cifar'], /unknown model 'cifar'; available: mnist, iris/],
    [['train', 'iris', '--lr', 'fast'], /--lr must be a number, got 'fast'/],
    [['predict'], /give a model file and at least one image/],
    [['predict', 'model.nabla'], /give a model file and at least one image/],
    [['predict', 'model.nabla', 'x.png', '--invert', 'maybe'], /--invert must be one of auto, yes, no/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const r = await inProcess(args);
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${args.join(' ')} printed a stack trace`);
  }
});

test('a missing model or image file exits with 1 and names it', async () => {
  const r = await inProcess(['predict', join(tmp, 'nope.nabla'), join(tmp, 'nope.png')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no file at '.*nope\.nabla'/);
});

test('validationSplit 0 trains on every training sample (as a comparison with a framework that holds none out needs)', async () => {
  const { trainMnist } = await import('../../src/apps/mnist/train.js');
  const data = loadData({ dataset: 'digits', limit: 300 });
  const r = await trainMnist({ data, epochs: 1, validationSplit: 0, outDir: null, verbose: 0, log: () => {} });
  assert.equal(r.validationSplit, 0);
  assert.equal(r.trainSamples, 300);
  assert.equal(r.validationSamples, 0);
  assert.equal(r.history['val_loss'], undefined);
  await assert.rejects(trainMnist({ data, epochs: 1, validationSplit: 1, outDir: null, verbose: 0, log: () => {} }), (e: unknown) => e instanceof nb.InvalidArgumentError && /validationSplit must be in \[0, 1\), got 1/.test((e as Error).message));
});
