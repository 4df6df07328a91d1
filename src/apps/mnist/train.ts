import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { loadData, type DatasetName, type ImageData } from './data.js';
import { evaluatePredictions, type Evaluation } from './metrics.js';
import { buildConvnet } from './model.js';
import { timestampedRunDir } from '../common/run-dir.js';
import { StepTimer } from '../common/step-timer.js';
import { runLogger } from '../common/run-logger.js';

/** Defaults per dataset: the Keras example's batch 128 for 28x28 data, more epochs and smaller batches for the 1,437 8x8 digits. */
export const DEFAULTS: Record<DatasetName, { epochs: number; batchSize: number }> = {
  mnist: { epochs: 1, batchSize: 128 },
  'fashion-mnist': { epochs: 1, batchSize: 128 },
  digits: { epochs: 15, batchSize: 32 },
};

export const VALIDATION_SPLIT = 0.1;

export interface MnistTrainOptions {
  /** Default: mnist if found, else fashion-mnist if found, else the shipped digits. */
  dataset?: DatasetName;
  /** Folder of the IDX files (or the digits CSV) instead of the search. */
  dataPath?: string;
  epochs?: number;
  batchSize?: number;
  /** Train on the first `limit` training samples only. */
  limit?: number;
  /** Fraction of the training samples held out for validation, in [0, 1) (default 0.1, as the Keras example). */
  validationSplit?: number;
  seed?: number;
  /** Folder for model.nabla, the report and its images; null writes nothing. */
  outDir?: string | null;
  /** fit's verbosity (default 1: Keras progress). */
  verbose?: number;
  /** Where messages go (default console.log). */
  log?: (line: string) => void;
  /** Data already loaded (tests). */
  data?: ImageData;
}

export interface MnistTrainResult {
  dataset: DatasetName;
  datasetPath: string;
  /** 'auto' (first found), 'named' or 'given' (a path). */
  datasetFound: string;
  backend: string;
  threads: number;
  epochs: number;
  batchSize: number;
  seed: number;
  validationSplit: number;
  trainSamples: number;
  validationSamples: number;
  testSamples: number;
  /** Wall time of fit, validation passes included. */
  trainSeconds: number;
  secondsPerEpoch: number;
  /** Training samples per second over the training steps alone. */
  samplesPerSecond: number;
  testAccuracy: number;
  testLoss: number;
  history: Record<string, number[]>;
  outDir: string | null;
  modelPath: string | null;
  reportPath: string | null;
}

/** What the report and `nabla predict` read besides the model: written to OUT/meta.json. */
export interface ModelMeta {
  dataset: DatasetName;
  classNames: string[];
  inputShape: number[];
}

export function defaultOutDir(now = new Date()): string {
  return timestampedRunDir('mnist', now);
}

/**
 * The Keras "mnist_convnet" example end to end: load the data, train with a validation split
 * (10% by default), evaluate on the test set, save the model and write the HTML report.
 */
export async function trainMnist(options: MnistTrainOptions = {}): Promise<MnistTrainResult & { evaluation: Evaluation }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const data = options.data ?? loadData({ dataset: options.dataset, path: options.dataPath, limit: options.limit });
  const defaults = DEFAULTS[data.dataset];
  const epochs = options.epochs ?? defaults.epochs;
  const batchSize = options.batchSize ?? defaults.batchSize;
  const seed = options.seed ?? 42;
  const validationSplit = options.validationSplit ?? VALIDATION_SPLIT;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new nb.InvalidArgumentError(`trainMnist: validationSplit must be in [0, 1), got ${String(options.validationSplit)}.`);
  }
  const [xTrain, yTrain] = data.train;
  const [xTest, yTest] = data.test;
  const inputShape = xTrain.shape.slice(1) as [number, number, number];
  const where = data.how === 'auto' ? ' (first found of mnist, fashion-mnist, digits)' : '';
  log(`Dataset: ${data.dataset}${where} from ${data.path}: ${xTrain.shape[0]} training and ${xTest.shape[0]} test images of ${inputShape.join('x')}`);
  log(`Backend: ${nb.getBackend()}; epochs ${epochs}, batch size ${batchSize}, seed ${seed}, validation split ${validationSplit}`);

  const outDir = options.outDir === null ? null : resolve(options.outDir ?? defaultOutDir());
  nb.setSeed(seed);
  const model = buildConvnet(inputShape, data.classNames.length);
  if ((options.verbose ?? 1) > 0) model.summary({ printFn: log });
  const timer = new StepTimer();
  const callbacks: nb.keras.callbacks.Callback[] = [timer];
  if (outDir) callbacks.push(runLogger(outDir, { dataset: data.dataset, hyperParameters: { epochs, batchSize, seed, validationSplit } }));
  const start = performance.now();
  const history = await model.fit(xTrain, yTrain, {
    epochs,
    batchSize,
    validationSplit,
    verbose: options.verbose ?? 1,
    callbacks,
  });
  const trainSeconds = (performance.now() - start) / 1000;

  const { loss: testLoss, accuracy: testAccuracy } = model.evaluate(xTest, yTest, { batchSize: 500 });
  const probs = model.predict(xTest, { batchSize: 500 }) as nb.Tensor;
  const predicted = nb.argMax(probs, 1).dataSync() as Int32Array;
  const truth = yTest.dataSync() as Int32Array;
  const evaluation = evaluatePredictions(truth, predicted, data.classNames);
  log(`Test accuracy: ${(testAccuracy! * 100).toFixed(2)}% (loss ${testLoss!.toFixed(4)}) on ${truth.length} test images`);

  const nTrain = xTrain.shape[0]!;
  const validationSamples = nTrain - Math.floor(nTrain * (1 - validationSplit));
  const result: MnistTrainResult = {
    dataset: data.dataset,
    datasetPath: data.path,
    datasetFound: data.how,
    backend: nb.getBackend(),
    threads: nb.getBackend() === 'native' ? nb.nativeInfo().threads : 1,
    epochs: history.epoch.length,
    batchSize,
    seed,
    validationSplit,
    trainSamples: nTrain - validationSamples,
    validationSamples,
    testSamples: truth.length,
    trainSeconds,
    secondsPerEpoch: trainSeconds / Math.max(1, history.epoch.length),
    samplesPerSecond: timer.samplesPerSecond,
    testAccuracy: testAccuracy!,
    testLoss: testLoss!,
    history: history.history,
    outDir: null,
    modelPath: null,
    reportPath: null,
  };

  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    result.outDir = outDir;
    result.modelPath = join(outDir, 'model.nabla');
    model.save(result.modelPath);
    const meta: ModelMeta = { dataset: data.dataset, classNames: data.classNames, inputShape };
    writeFileSync(join(outDir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    const { writeReport } = await import('./report.js');
    result.reportPath = await writeReport(outDir, { result, evaluation, classNames: data.classNames, testImages: xTest, testLabels: truth, predicted, probs });
    writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`Saved the model to ${result.modelPath}`);
    log(`Report: ${result.reportPath}`);
  }
  return { ...result, evaluation };
}
