import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastJsonLine, runCliInProcess } from '../util/in-process-cli.js';
import * as nb from '../../src/index.js';
import { irisSplit } from './iris-data.js';
import { sharedData } from '../util/shared-data.js';

const fc = nb.featureColumn;
const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-estimator-labels-'));
// iris.csv is in TensorFlow's format: the first line names the classes of the numeric labels.
const irisLines = readFileSync(sharedData('tabular', 'iris.csv'), 'utf8').trim().split('\n');
const SPECIES = irisLines[0]!.split(',').slice(2);
const names = (y: nb.Tensor) => Array.from(y.values, (id) => SPECIES[id]!);
const { train, test: held } = irisSplit();
const cols = [fc.numericColumn('x', { shape: 4 })];

/** The iris table with the species as names, written to a temp CSV with a header. */
function irisNamesCsv(dir: string): string {
  const path = join(dir, 'iris-names.csv');
  const rows = irisLines.slice(1).map((l) => {
    const f = l.split(',');
    return [...f.slice(0, 4), SPECIES[Number(f[4])]].join(',');
  });
  writeFileSync(path, ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows].join('\n') + '\n');
  return path;
}

test('string labels with labelVocabulary: iris by species name reaches >= 93%, evaluate and predict work', async () => {
  assert.deepEqual(SPECIES, ['setosa', 'versicolor', 'virginica']);
  const trainFn = nb.estimator.numpyInputFn({ x: { x: train.x }, y: names(train.y), batchSize: 32, numEpochs: null, seed: 1 });
  const testFn = nb.estimator.numpyInputFn({ x: { x: held.x }, y: names(held.y), shuffle: false });
  const dir = tmp();
  const est = new nb.estimator.LinearClassifier({ featureColumns: cols, labelVocabulary: SPECIES, modelDir: dir, config: new nb.estimator.RunConfig({ randomSeed: 1 }) });
  assert.equal(est.nClasses, 3);
  await est.train(trainFn, { steps: 300 });
  const r = await est.evaluate(testFn);
  assert.ok(r.accuracy! >= 0.93, `accuracy ${r.accuracy}`);
  // Same figures as with the numeric ids.
  const rIds = await est.evaluate(nb.estimator.numpyInputFn({ x: { x: held.x }, y: held.y, shuffle: false }));
  assert.equal(rIds.accuracy, r.accuracy);
  assert.ok(Math.abs(rIds.loss - r.loss) < 1e-6);
  // The linear models' default optimizer is TensorFlow's: FTRL.
  const ckpt = nb.estimator.readCheckpoint(nb.estimator.listCheckpoints(dir).at(-1)!.path);
  assert.equal(ckpt.optimizerClass, 'Ftrl');
  const preds: nb.estimator.PredictionRecord[] = [];
  for await (const p of est.predict(testFn)) preds.push(p);
  const truth = names(held.y);
  assert.equal(preds.length, 30);
  const right = preds.filter((p, i) => p['classes'] === truth[i] && SPECIES[p['classIds'] as number] === p['classes']).length;
  assert.equal(right / 30, r.accuracy);
});

test('a label not in the vocabulary is an InvalidArgumentError naming the value, the row and the vocabulary', async () => {
  const x = nb.tensor([[1], [2], [3]]);
  const est = new nb.estimator.DNNClassifier({ featureColumns: [fc.numericColumn('x')], hiddenUnits: [4], labelVocabulary: ['cat', 'dog'] });
  const fn = nb.estimator.numpyInputFn({ x: { x }, y: ['cat', 'dog', 'cow'], shuffle: false });
  await assert.rejects(
    est.train(fn, { steps: 1 }),
    (e: Error) => e instanceof nb.InvalidArgumentError && /"cow"/.test(e.message) && /row of the batch 2/.test(e.message) && /\["cat", "dog"\]/.test(e.message) && /DNNClassifier/.test(e.message),
  );
  // Without a vocabulary, string labels say what to do.
  const plain = new nb.estimator.LinearClassifier({ featureColumns: [fc.numericColumn('x')] });
  await assert.rejects(plain.train(nb.estimator.numpyInputFn({ x: { x }, y: ['a', 'b', 'a'] }), { steps: 1 }), (e: Error) => e instanceof nb.InvalidArgumentError && /labelVocabulary/.test(e.message) && /"[ab]"/.test(e.message));
  // Numeric labels keep working next to a vocabulary; a bad vocabulary is caught up front.
  await est.train(nb.estimator.numpyInputFn({ x: { x }, y: nb.tensor([0, 1, 1]), numEpochs: null }), { steps: 2 });
  assert.equal(est.globalStep, 2);
  assert.throws(() => new nb.estimator.LinearClassifier({ featureColumns: cols, labelVocabulary: ['a', 'a'] }), (e: Error) => e instanceof nb.InvalidArgumentError && /"a" twice/.test(e.message));
});

test('CSV labels: csvInputFn passes names on or maps them with labelVocabulary; labelTensor names the data row', async () => {
  const dir = tmp();
  const path = irisNamesCsv(dir);
  const table = nb.estimator.readCsvTable(path);
  assert.equal(nb.estimator.isStringLabelColumn(table, 'species'), true);
  assert.deepEqual(nb.estimator.inferLabelVocabulary(table, 'species'), SPECIES);
  const ids = nb.estimator.labelTensor(table, 'species', SPECIES);
  assert.deepEqual(Array.from(ids.values), irisLines.slice(1).map((l) => Number(l.split(',')[4])));
  assert.throws(() => nb.estimator.labelTensor(table, 'species'), (e: Error) => e instanceof nb.InvalidArgumentError && /"setosa"/.test(e.message) && /data row 1/.test(e.message) && /labelVocabulary/.test(e.message));
  assert.throws(() => nb.estimator.labelTensor(table, 'species', ['setosa', 'versicolor']), (e: Error) => e instanceof nb.InvalidArgumentError && /"virginica"/.test(e.message) && /data row 101/.test(e.message));
  const est = new nb.estimator.DNNClassifier({ featureColumns: [fc.numericColumn('petal_length'), fc.numericColumn('petal_width')], hiddenUnits: [8], labelVocabulary: SPECIES, optimizer: new nb.keras.optimizers.Adam({ learningRate: 0.05 }), config: new nb.estimator.RunConfig({ randomSeed: 2 }) });
  await est.train(nb.estimator.csvInputFn(path, { label: 'species', batchSize: 32, numEpochs: null, seed: 2 }), { steps: 200 });
  const strings = await est.evaluate(nb.estimator.csvInputFn(path, { label: 'species', shuffle: false }));
  const mapped = await est.evaluate(nb.estimator.csvInputFn(path, { label: 'species', shuffle: false, labelVocabulary: SPECIES }));
  assert.equal(strings.accuracy, mapped.accuracy);
  assert.ok(strings.accuracy! >= 0.9, `accuracy ${strings.accuracy}`);
});

/** Runs `nabla estimator ...` in-process; returns the printed lines and the final JSON object. */
async function cli(args: string[]): Promise<{ lines: string[]; json: Record<string, unknown> }> {
  const r = await runCliInProcess(['estimator', ...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return { lines: r.stdout.trim().split('\n'), json: lastJsonLine(r.stdout) };
}

/** Runs a command that must fail; returns what it wrote to stderr. */
async function cliFailure(args: string[]): Promise<string> {
  const r = await runCliInProcess(['estimator', ...args]);
  assert.notEqual(r.status, 0, r.stdout);
  return r.stderr;
}

test('CLI on a CSV with string labels: the vocabulary is inferred (and said), --label-vocabulary overrides; evaluate/predict', async () => {
  const dir = tmp();
  const csv = irisNamesCsv(dir);
  const model = join(dir, 'model');
  const { lines, json } = await cli(['train', '--csv', csv, '--label', 'species', '--model', 'linear-classifier', '--steps', '300', '--model-dir', model]);
  assert.ok(lines.some((l) => /label column 'species' holds class names: labelVocabulary inferred as setosa,versicolor,virginica/.test(l)), lines.join('\n'));
  assert.ok((json['accuracy'] as number) >= 0.93, `accuracy ${json['accuracy']}`);
  assert.equal(json['labelVocabulary'], 'setosa,versicolor,virginica');
  const ev = await cli(['evaluate', '--csv', csv, '--model-dir', model]);
  assert.equal(ev.json['rows'], 150);
  assert.ok((ev.json['accuracy'] as number) >= 0.9);
  const pr = await cli(['predict', '--csv', csv, '--model-dir', model]);
  const preds = pr.json['predictions'] as Record<string, unknown>[];
  assert.equal(preds.length, 150);
  assert.ok(preds.every((p) => SPECIES[p['classIds'] as number] === p['classes']));
  assert.ok(preds.filter((p, i) => p['classes'] === SPECIES[Number(irisLines[i + 1]!.split(',')[4])]).length >= 140);

  // An explicit order changes the ids; a name missing from it is an error naming the data row.
  const model2 = join(dir, 'model2');
  await cli(['train', '--csv', csv, '--label', 'species', '--model', 'linear-classifier', '--steps', '5', '--label-vocabulary', 'virginica,setosa,versicolor', '--model-dir', model2]);
  const pr2 = await cli(['predict', '--csv', csv, '--model-dir', model2]);
  assert.ok((pr2.json['predictions'] as Record<string, unknown>[]).every((p) => ['virginica', 'setosa', 'versicolor'][p['classIds'] as number] === p['classes']));
  const missing = await cliFailure(['train', '--csv', csv, '--label', 'species', '--label-vocabulary', 'setosa,virginica', '--steps', '1', '--model-dir', join(dir, 'm3')]);
  assert.match(missing, /label "versicolor" at data row 51 is not in labelVocabulary/);
  assert.match(await cliFailure(['train', '--csv', csv, '--label', 'species', '--model', 'linear-regressor', '--model-dir', join(dir, 'm4')]), /non-numeric value "setosa" at data row 1/);
});
