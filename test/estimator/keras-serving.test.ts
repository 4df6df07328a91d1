import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { irisSplit } from './iris-data.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-estimator-'));
const { train, test: held } = irisSplit();
const trainFn = nb.estimator.numpyInputFn({ x: { x: train.x }, y: train.y, batchSize: 32, numEpochs: null, seed: 2 });
const testFn = nb.estimator.numpyInputFn({ x: { x: held.x }, y: held.y, shuffle: false });

test('modelToEstimator: a compiled Keras model trains, reports its compiled metrics and resumes', async () => {
  nb.setSeed(5);
  const model = () => {
    const m = nb.keras.sequential([nb.keras.layers.dense({ units: 16, activation: 'relu', inputShape: [4] }), nb.keras.layers.dense({ units: 3, activation: 'softmax' })]);
    m.compile({ optimizer: new nb.keras.optimizers.Adam({ learningRate: 0.02 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    return m;
  };
  const dir = tmp();
  const est = nb.estimator.modelToEstimator(model(), { modelDir: dir });
  await est.train(trainFn, { steps: 150 });
  const r = await est.evaluate(testFn);
  assert.equal(r.globalStep, 150);
  assert.ok(r['accuracy']! >= 0.9, `accuracy ${r['accuracy']}`);
  const again = nb.estimator.modelToEstimator(model(), { modelDir: dir });
  const r2 = await again.evaluate(testFn);
  assert.equal(r2.globalStep, 150);
  assert.ok(Math.abs(r2.loss - r.loss) < 1e-6);
  assert.throws(() => nb.estimator.modelToEstimator(nb.keras.sequential([nb.keras.layers.dense({ units: 1, inputShape: [1] })])), nb.FailedPreconditionError);
});

test('exportSavedModel + loadServable predict like the estimator; trainAndEvaluate alternates', async () => {
  const fc = nb.featureColumn;
  const opts = { featureColumns: [fc.numericColumn('x', { shape: 4 })], nClasses: 3, config: new nb.estimator.RunConfig({ randomSeed: 1, saveCheckpointsSteps: 0 }) };
  const est = new nb.estimator.LinearClassifier(opts);
  const { final, history } = await nb.estimator.trainAndEvaluate(est, { inputFn: trainFn, maxSteps: 90 }, { inputFn: testFn, everySteps: 30 });
  assert.deepEqual(history.map((h) => h.globalStep), [30, 60, 90]);
  assert.equal(final.globalStep, 90);
  const dir = tmp();
  await nb.estimator.exportSavedModel(est, dir);
  const served = await nb.estimator.loadServable(dir, (modelDir) => new nb.estimator.LinearClassifier({ ...opts, modelDir }));
  assert.equal(served.globalStep, 90);
  const got = await served.predict({ x: held.x }, { predictKeys: ['probabilities'] });
  const want: nb.estimator.PredictionRecord[] = [];
  for await (const p of est.predict(testFn, { predictKeys: ['probabilities'] })) want.push(p);
  assert.equal(got.length, 30);
  assert.deepEqual(got, want);
  await assert.rejects(nb.estimator.loadServable(tmp(), () => est), nb.NotFoundError);
});

test('csvInputFn reads a CSV with numeric and categorical columns; nb.data.csv datasets work as input too', async () => {
  const { mkdtempSync: mk, writeFileSync: wr } = await import('node:fs');
  const dir = mk(join(tmpdir(), 'nabla-estimator-csv-'));
  const path = join(dir, 't.csv');
  wr(path, 'x,color,y\n' + Array.from({ length: 40 }, (_, i) => `${i % 5},${['red', 'blue'][i % 2]},${(i % 5) * 2 + (i % 2)}`).join('\n') + '\n');
  const fc = nb.featureColumn;
  const est = new nb.estimator.LinearRegressor({
    featureColumns: [fc.numericColumn('x'), fc.indicatorColumn(fc.categoricalColumnWithVocabularyList('color', ['red', 'blue']))],
    optimizer: new nb.keras.optimizers.Adam({ learningRate: 0.2 }),
  });
  await est.train(nb.estimator.csvInputFn(path, { label: 'y', batchSize: 40, numEpochs: null }), { steps: 300 });
  const r = await est.evaluate(nb.estimator.csvInputFn(path, { label: 'y', shuffle: false }));
  assert.ok(r.rootMeanSquaredError! < 0.2, `rmse ${r.rootMeanSquaredError}`);
  const numeric = join(dir, 'n.csv');
  wr(numeric, 'x,y\n' + Array.from({ length: 20 }, (_, i) => `${i % 4},${(i % 4) * 3}`).join('\n') + '\n');
  const lin = new nb.estimator.LinearRegressor({ featureColumns: [fc.numericColumn('x')], optimizer: new nb.keras.optimizers.Adam({ learningRate: 0.2 }) });
  await lin.train(() => nb.data.csv(numeric, { labelColumn: 'y' }).batch(20).repeat(), { steps: 300 });
  assert.ok((await lin.evaluate(() => nb.data.csv(numeric, { labelColumn: 'y' }).batch(20))).rootMeanSquaredError! < 0.2);
});
