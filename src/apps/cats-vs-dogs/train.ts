import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { timestampedRunDir } from '../common/run-dir.js';
import { runLogger } from '../common/run-logger.js';
import { StepTimer } from '../common/step-timer.js';
import type { ClassStats } from '../mnist/metrics.js';
import { loadImageFolder } from './data.js';
import { evaluateBinary, type BinaryEvaluation } from './evaluate.js';
import { buildCatsDogsCnn } from './model.js';

/** Defaults: 64x64 images keep an epoch over a few thousand photos short on a small CPU. */
export const DEFAULTS = { epochs: 10, imageSize: 64, batchSize: 32, seed: 42, validationSplit: 0.2 } as const;

export interface CatsDogsTrainOptions {
  /** Folder with exactly two class subfolders (DIR/cat/*.jpg, DIR/dog/*.jpg). */
  dataDir: string;
  epochs?: number;
  /** Side of the square model input; images are resized to it (default 64). */
  imageSize?: number;
  batchSize?: number;
  /** Seed of the split, the shuffles, the initial weights, dropout and augmentation (default 42). */
  seed?: number;
  /** Fraction of the files held out for validation (default 0.2). */
  validationSplit?: number;
  /** Folder for model.nabla, the report and its images; null writes nothing. */
  outDir?: string | null;
  /** fit's verbosity (default 1: Keras progress). */
  verbose?: number;
  /** Where messages go (default console.log). */
  log?: (line: string) => void;
}

export interface CatsDogsTrainResult {
  /** The data folder's name. */
  dataset: string;
  datasetPath: string;
  /** Label 0 and label 1 (the class the sigmoid's probability is of). */
  classNames: [string, string];
  backend: string;
  threads: number;
  epochs: number;
  imageSize: number;
  batchSize: number;
  seed: number;
  validationSplit: number;
  trainSamples: number;
  validationSamples: number;
  /** Wall time of fit, image decoding and validation passes included. */
  trainSeconds: number;
  secondsPerEpoch: number;
  /** Training samples per second over the training steps alone. */
  samplesPerSecond: number;
  /** Accuracy on the held-out validation images (there is no separate test set). */
  testAccuracy: number;
  testLoss: number;
  validationAccuracy: number;
  history: Record<string, number[]>;
  perClass: ClassStats[];
  outDir: string | null;
  modelPath: string | null;
  reportPath: string | null;
}

/** What `nabla predict` reads besides the model: written to OUT/meta.json. */
export interface CatsDogsMeta {
  dataset: string;
  classNames: [string, string];
  inputShape: number[];
  /** The model's single output is P(classNames[1]). */
  output: 'sigmoid';
}

export const MODEL_DESCRIPTION =
  'cats_vs_dogs_cnn: Rescaling 1/255, RandomFlip horizontal, RandomRotation 0.1, RandomZoom 0.1 (training only), Conv2D 32/64/128 3x3 ReLU each with MaxPool 2, Flatten, Dropout 0.5, Dense 1 sigmoid';

function settings(r: CatsDogsTrainResult): [string, string][] {
  return [
    ['dataset', `${r.dataset} — ${r.datasetPath} (label 0: ${r.classNames[0]}, label 1: ${r.classNames[1]})`],
    ['backend', `${r.backend}${r.backend === 'native' ? `, ${r.threads} threads` : ''}`],
    ['model', MODEL_DESCRIPTION],
    ['optimizer', 'Adam, learning rate 0.001'],
    ['loss', 'binary crossentropy'],
    ['epochs', String(r.epochs)],
    ['batch size', String(r.batchSize)],
    ['image size', `${r.imageSize}x${r.imageSize} RGB`],
    ['validation split', String(r.validationSplit)],
    ['seed', String(r.seed)],
    ['samples', `${r.trainSamples} train, ${r.validationSamples} validation`],
    ['training time', `${r.trainSeconds.toFixed(1)} s (${r.secondsPerEpoch.toFixed(2)} s per epoch, ${Math.round(r.samplesPerSecond)} samples/s)`],
    ['validation accuracy', `${(r.validationAccuracy * 100).toFixed(1)}% (loss ${r.testLoss.toFixed(4)})`],
  ];
}

/**
 * The Keras cats-vs-dogs example end to end: read the two class folders with a seeded 80/20
 * split, train the small augmented convnet, evaluate it on the validation images, save the
 * model and write the HTML report.
 *
 * @example
 * ```ts
 * const r = await trainCatsVsDogs({dataDir: 'PetImages', epochs: 5, outDir: 'runs/pets'});
 * console.log(r.validationAccuracy, r.reportPath);
 * ```
 */
export async function trainCatsVsDogs(options: CatsDogsTrainOptions): Promise<CatsDogsTrainResult & { evaluation: BinaryEvaluation }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const epochs = options.epochs ?? DEFAULTS.epochs;
  const imageSize = options.imageSize ?? DEFAULTS.imageSize;
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const seed = options.seed ?? DEFAULTS.seed;
  const validationSplit = options.validationSplit ?? DEFAULTS.validationSplit;
  const inputShape: [number, number, number] = [imageSize, imageSize, 3];
  nb.setSeed(seed);
  const model = buildCatsDogsCnn(inputShape, { seed }); // checks the image size before any file is read
  const data = loadImageFolder({ dir: options.dataDir, imageSize, batchSize, seed, validationSplit, verbose: (options.verbose ?? 1) > 0 });
  log(`Dataset: ${data.name} from ${data.path}: classes ${data.classNames[0]} (label 0) and ${data.classNames[1]} (label 1), ${data.train.filePaths.length} training and ${data.validation.filePaths.length} validation images at ${imageSize}x${imageSize}`);
  log(`Backend: ${nb.getBackend()}; epochs ${epochs}, batch size ${batchSize}, seed ${seed}, validation split ${validationSplit}`);
  if ((options.verbose ?? 1) > 0) model.summary({ printFn: log });

  const outDir = options.outDir === null ? null : resolve(options.outDir ?? timestampedRunDir('cats-vs-dogs'));
  const timer = new StepTimer();
  const callbacks: nb.keras.callbacks.Callback[] = [timer];
  if (outDir) callbacks.push(runLogger(outDir, { dataset: data.path, hyperParameters: { epochs, batchSize, imageSize, seed, validationSplit } }));
  const start = performance.now();
  const history = await model.fit(data.train, { epochs, validationData: data.validation, verbose: options.verbose ?? 1, callbacks });
  const trainSeconds = (performance.now() - start) / 1000;

  const evaluation = await evaluateBinary(model, data.validation, data.classNames);
  log(`Validation accuracy: ${(evaluation.accuracy * 100).toFixed(2)}% (loss ${evaluation.loss.toFixed(4)}) on ${evaluation.labels.length} validation images`);

  const result: CatsDogsTrainResult = {
    dataset: data.name,
    datasetPath: data.path,
    classNames: data.classNames,
    backend: nb.getBackend(),
    threads: nb.getBackend() === 'native' ? nb.nativeInfo().threads : 1,
    epochs: history.epoch.length,
    imageSize,
    batchSize,
    seed,
    validationSplit,
    trainSamples: Math.round(timer.samples / Math.max(1, history.epoch.length)),
    validationSamples: evaluation.labels.length,
    trainSeconds,
    secondsPerEpoch: trainSeconds / Math.max(1, history.epoch.length),
    samplesPerSecond: timer.samplesPerSecond,
    testAccuracy: evaluation.accuracy,
    testLoss: evaluation.loss,
    validationAccuracy: evaluation.accuracy,
    history: history.history,
    perClass: evaluation.perClass,
    outDir: null,
    modelPath: null,
    reportPath: null,
  };

  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    result.outDir = outDir;
    result.modelPath = join(outDir, 'model.nabla');
    model.save(result.modelPath);
    const meta: CatsDogsMeta = { dataset: data.name, classNames: data.classNames, inputShape, output: 'sigmoid' };
    writeFileSync(join(outDir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    // Loaded here: the chart libraries are only needed when a report is written.
    const { writeClassifierReport } = await import('../common/classifier-report.js');
    result.reportPath = await writeClassifierReport(outDir, {
      title: `cats_vs_dogs_cnn on ${data.name}`,
      split: 'validation',
      accuracy: evaluation.accuracy,
      epochs: result.epochs,
      settings: settings(result),
      history: result.history,
      evaluation,
      classNames: data.classNames,
      samples: evaluation.samples,
      firstCount: 32,
    });
    writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`Saved the model to ${result.modelPath}`);
    log(`Report: ${result.reportPath}`);
  }
  return { ...result, evaluation };
}
