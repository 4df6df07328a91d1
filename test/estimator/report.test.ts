import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimatorCommand } from '../../src/cli/estimator.js';
import * as nb from '../../src/index.js';
import { irisSplit } from './iris-data.js';
import { sharedData } from '../util/shared-data.js';

const fc = nb.featureColumn;
const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-estimator-report-'));
const isPng = (path: string) => existsSync(path) && readFileSync(path).subarray(1, 4).toString() === 'PNG';
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

test('rocCurve: exact points on a hand-checked example with ties, and the AUC', () => {
  // Sorted: 0.9 (+) | 0.8 (−, +) tie | 0.5 (−) | 0.3 (+, −) tie. P = N = 3.
  const { points, auc } = nb.estimator.rocCurve([1, 0, 1, 0, 1, 0], [0.9, 0.8, 0.8, 0.5, 0.3, 0.3]);
  const third = 1 / 3;
  const want = [
    [Infinity, 0, 0],
    [0.9, 0, third],
    [0.8, third, 2 * third],
    [0.5, 2 * third, 2 * third],
    [0.3, 1, 1],
  ];
  assert.equal(points.length, want.length);
  points.forEach((p, i) => {
    assert.equal(p.threshold, want[i]![0]);
    assert.ok(Math.abs(p.fpr - want[i]![1]!) < 1e-12 && Math.abs(p.tpr - want[i]![2]!) < 1e-12, `point ${i}: ${JSON.stringify(p)}`);
  });
  // Mann–Whitney by hand: 0.9 beats 3 negatives; 0.8 ties one and beats two (2.5); 0.3 ties one (0.5): 6 / 9.
  assert.ok(Math.abs(auc - 2 / 3) < 1e-12, `auc ${auc}`);
  assert.equal(nb.estimator.rocCurve([0, 1], [0.2, 0.7]).auc, 1);
  assert.equal(nb.estimator.rocCurve([0, 1], [0.5, 0.5]).auc, 0.5);
  assert.throws(() => nb.estimator.rocCurve([1, 1], [0.1, 0.2]), (e: Error) => e instanceof nb.InvalidArgumentError && /needs both classes/.test(e.message));
  assert.throws(() => nb.estimator.rocCurve([0, 2], [0.1, 0.2]), /label 2 at row 1 is not 0 or 1/);
  assert.throws(() => nb.estimator.rocCurve([0, 1], [0.1]), /2 labels but 1 scores/);
});

/** Iris reduced to versicolor (0) vs virginica (1): a binary problem that is not separable. */
function binaryIris(seed: number) {
  const { train, test: held } = irisSplit(seed);
  const pick = (p: { x: nb.Tensor; y: nb.Tensor }) => {
    const idx = Array.from(p.y.values).flatMap((v, i) => (v > 0 ? [i] : []));
    const ix = nb.tensor(Int32Array.from(idx), [idx.length], 'int32');
    return { x: nb.gather(p.x, ix), y: nb.sub(nb.gather(p.y, ix), 1) };
  };
  return { train: pick(train), test: pick(held) };
}

test('writeEvaluationReport, binary classifier: figures, confusion-matrix.png and roc.png with the exact AUC', async () => {
  const { train, test: held } = binaryIris(7);
  const est = new nb.estimator.LinearClassifier({ featureColumns: [fc.numericColumn('x', { shape: 4 })], config: new nb.estimator.RunConfig({ randomSeed: 1 }) });
  await est.train(nb.estimator.numpyInputFn({ x: { x: train.x }, y: train.y, batchSize: 16, numEpochs: null, seed: 1 }), { steps: 200 });
  const testFn = nb.estimator.numpyInputFn({ x: { x: held.x }, y: held.y, shuffle: false, batchSize: 7 });
  const dir = tmp();
  const figs = await nb.estimator.writeEvaluationReport(est, testFn, dir);
  for (const k of ['loss', 'averageLoss', 'accuracy', 'precision', 'recall', 'auc', 'rocAuc']) assert.equal(typeof figs[k], 'number', k);
  assert.equal(figs['rows'], held.y.size);
  // rocAuc is the exact curve of the predicted probabilities; Keras' AUC (200 thresholds) is close.
  const scores: number[] = [];
  for await (const p of est.predict(testFn, { predictKeys: ['logistic'] })) scores.push((p['logistic'] as number[])[0]!);
  const curve = nb.estimator.rocCurve(Array.from(held.y.values), scores);
  assert.ok(Math.abs(figs['rocAuc']! - curve.auc) < 1e-12);
  assert.ok(Math.abs(figs['auc']! - curve.auc) < 0.02, `keras auc ${figs['auc']} vs exact ${curve.auc}`);
  assert.ok(figs['accuracy']! >= 0.8 && figs['rocAuc']! >= 0.85, JSON.stringify(figs));
  assert.ok(isPng(join(dir, 'confusion-matrix.png')) && isPng(join(dir, 'roc.png')));
  const json = readJson(join(dir, 'report.json'));
  assert.deepEqual(json['plots'], ['confusion-matrix.png', 'roc.png']);
  assert.equal(json['rocAuc'], figs['rocAuc']);
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.ok(md.includes('![roc.png](roc.png)') && md.includes('| rocAuc |') && md.includes('| precision |'), md);
});

test('evaluate({reportDir}): 3-class classifier (no ROC) and regressor (MAE / RMSE / R², predicted vs. actual)', async () => {
  const { train, test: held } = irisSplit();
  const cls = new nb.estimator.DNNClassifier({ featureColumns: [fc.numericColumn('x', { shape: 4 })], hiddenUnits: [8], nClasses: 3, labelVocabulary: ['setosa', 'versicolor', 'virginica'], optimizer: new nb.keras.optimizers.Adam({ learningRate: 0.05 }), config: new nb.estimator.RunConfig({ randomSeed: 3 }) });
  await cls.train(nb.estimator.numpyInputFn({ x: { x: train.x }, y: train.y, batchSize: 32, numEpochs: null, seed: 3 }), { steps: 100 });
  const dir = tmp();
  const testFn = nb.estimator.numpyInputFn({ x: { x: held.x }, y: held.y, shuffle: false });
  const r = await cls.evaluate(testFn, { reportDir: dir });
  const json = readJson(join(dir, 'report.json'));
  assert.equal(json['accuracy'], r.accuracy);
  assert.equal(json['loss'], r.loss);
  for (const k of ['macroPrecision', 'macroRecall', 'macroAuc']) assert.ok(typeof json[k] === 'number' && (json[k] as number) > 0.8, `${k} ${json[k]}`);
  assert.deepEqual(json['plots'], ['confusion-matrix.png']);
  assert.ok(isPng(join(dir, 'confusion-matrix.png')) && !existsSync(join(dir, 'roc.png')));

  // Regressor: petal width from the other three measurements.
  const cols3 = (x: nb.Tensor) => nb.slice(x, [0, 0], [-1, 3]);
  const width = (x: nb.Tensor) => nb.reshape(nb.slice(x, [0, 3], [-1, 1]), [-1]);
  const reg = new nb.estimator.LinearRegressor({ featureColumns: [fc.numericColumn('m', { shape: 3 })], optimizer: new nb.keras.optimizers.Adam({ learningRate: 0.05 }), config: new nb.estimator.RunConfig({ randomSeed: 1 }) });
  await reg.train(nb.estimator.numpyInputFn({ x: { m: cols3(train.x) }, y: width(train.x), batchSize: 32, numEpochs: null, seed: 1 }), { steps: 300 });
  const regDir = tmp();
  const regFn = nb.estimator.numpyInputFn({ x: { m: cols3(held.x) }, y: width(held.x), shuffle: false });
  await reg.evaluate(regFn, { reportDir: regDir });
  const rj = readJson(join(regDir, 'report.json'));
  const preds: number[] = [];
  for await (const p of reg.predict(regFn)) preds.push((p['predictions'] as number[])[0]!);
  const ys = Array.from(width(held.x).values);
  const mae = ys.reduce((a, y, i) => a + Math.abs(y - preds[i]!), 0) / ys.length;
  assert.ok(Math.abs((rj['mae'] as number) - mae) < 1e-9, `mae ${rj['mae']} vs ${mae}`);
  assert.ok((rj['rmse'] as number) >= mae && (rj['r2'] as number) > 0.8, JSON.stringify(rj));
  assert.deepEqual(rj['plots'], ['predicted-vs-actual.png']);
  assert.ok(isPng(join(regDir, 'predicted-vs-actual.png')));
  assert.ok(readFileSync(join(regDir, 'report.md'), 'utf8').includes('| r2 |'));
});

test('CLI: a binary table writes roc.png beside confusion-matrix.png; evaluate --report-dir writes the same report', async () => {
  const dir = tmp();
  const csv = join(dir, 'binary.csv');
  const lines = readFileSync(sharedData('tabular', 'iris.csv'), 'utf8').trim().split('\n').slice(1).filter((l) => !l.endsWith(',0'));
  writeFileSync(csv, 'a,b,c,d,kind\n' + lines.map((l) => l.replace(/,1$/, ',versicolor').replace(/,2$/, ',virginica')).join('\n') + '\n');
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  try {
    await estimatorCommand(['train', '--csv', csv, '--label', 'kind', '--model', 'linear-classifier', '--steps', '200', '--model-dir', join(dir, 'm'), '--json']);
    await estimatorCommand(['evaluate', '--csv', csv, '--model-dir', join(dir, 'm'), '--report-dir', join(dir, 'eval'), '--json']);
  } finally {
    console.log = log;
  }
  for (const d of ['m', 'eval']) {
    assert.ok(isPng(join(dir, d, 'roc.png')) && isPng(join(dir, d, 'confusion-matrix.png')), d);
    const json = readJson(join(dir, d, 'report.json'));
    assert.deepEqual(json['plots'], ['confusion-matrix.png', 'roc.png'], d);
    assert.ok((json['rocAuc'] as number) > 0.9, `${d}: rocAuc ${json['rocAuc']}`);
    assert.ok(readFileSync(join(dir, d, 'report.md'), 'utf8').includes('![roc.png](roc.png)'), d);
  }
  assert.equal(readJson(join(dir, 'eval', 'report.json'))['rows'], 100);
});
