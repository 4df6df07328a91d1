// `nabla train dbn` end to end: load the images, pre-train a DBN greedily with CD-k/PCD, fine-tune
// it as a classifier, train the same classifier from random init, compare, and write pictures and
// the report.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { appWriter, logsDir } from '../common/run-logger.js';
import { timestampedRunDir } from '../common/run-dir.js';
import { findIdxFolder, loadData, type ImageData } from '../mnist/data.js';
import { DBN, buildClassifier } from './dbn.js';
import { filterGrid, gibbsGrid, imageSide, writePng } from './images.js';

/** Datasets of `nabla train dbn`. */
export const DBN_DATASETS = ['fashion-mnist', 'digits'] as const;
export type DbnDataset = (typeof DBN_DATASETS)[number];

export interface DbnTrainOptions {
  /** Default: fashion-mnist if found, else the 8x8 digits that ship with nabla. */
  dataset?: DbnDataset;
  /** Folder holding the dataset's IDX files (or the digits CSV file) instead of the search; needs `dataset`. */
  dataPath?: string;
  /** Hidden units per RBM, bottom first (default [256, 128]). */
  layers?: readonly number[];
  /** CD epochs per RBM (default 5). */
  pretrainEpochs?: number;
  /** Backprop epochs of each classifier (default 5). */
  finetuneEpochs?: number;
  /** Gibbs steps of CD-k (default 1). */
  k?: number;
  /** Persistent CD instead of CD-k (default false). */
  persistent?: boolean;
  /** CD learning rate (default 0.1). */
  learningRate?: number;
  /** Minibatch size of pre-training and fine-tuning (default 32). */
  batchSize?: number;
  /** Use only the first `limit` training images (default 10000; the whole test set is always used). */
  limit?: number;
  seed?: number;
  /** Folder for the pictures and the report; null writes nothing (default runs/dbn-<time>). */
  outDir?: string | null;
  /** Where messages go (default console.log). */
  log?: (line: string) => void;
  /** Data already loaded (tests): images 0..255 [n, h, w, 1], labels int32. */
  data?: ImageData;
}

export interface DbnTrainResult {
  dataset: string;
  datasetPath: string;
  backend: string;
  layers: number[];
  visibleUnits: number;
  trainSamples: number;
  testSamples: number;
  pretrainEpochs: number;
  finetuneEpochs: number;
  cdK: number;
  persistent: boolean;
  learningRate: number;
  batchSize: number;
  seed: number;
  /** Mean reconstruction error per epoch, one array per RBM (bottom first). */
  reconstructionError: number[][];
  /** Test accuracy of the DBN-initialised classifier after fine-tuning. */
  pretrainedAccuracy: number;
  /** Test accuracy of the same classifier trained from random init (same epochs and seed). */
  randomInitAccuracy: number;
  pretrainedLoss: number;
  randomInitLoss: number;
  /** Training accuracy per fine-tuning epoch. */
  finetuneAccuracy: { pretrained: number[]; randomInit: number[] };
  pretrainSeconds: number;
  finetuneSeconds: number;
  randomInitSeconds: number;
  outDir: string | null;
  reportPath: string | null;
}

export const DBN_DEFAULTS = {
  layers: [256, 128],
  pretrainEpochs: 5,
  finetuneEpochs: 5,
  k: 1,
  learningRate: 0.1,
  batchSize: 32,
  limit: 10000,
  seed: 42,
} as const;

/**
 * Images [n, h, w, 1] of 0..255 as rows [n, h*w] of probabilities in [0, 1].
 *
 * @example
 * ```ts
 * const x = toVisible(loadData({ dataset: 'digits' }).train[0]);   // [1438, 64]
 * ```
 */
export function toVisible(images: nb.Tensor): nb.Tensor {
  const n = images.shape[0]!;
  const units = images.shape.slice(1).reduce((a, b) => a * b, 1);
  return nb.div(nb.reshape(nb.cast(images, 'float32'), [n, units]), 255);
}

function loadImages(options: DbnTrainOptions, limit: number): ImageData {
  if (options.data) return options.data;
  if (options.dataPath !== undefined && options.dataset === undefined) {
    throw new nb.InvalidArgumentError('train dbn: a data path needs the dataset named too (fashion-mnist or digits).');
  }
  const dataset = options.dataset ?? (findIdxFolder('fashion-mnist') ? 'fashion-mnist' : 'digits');
  return loadData({ dataset, path: options.dataPath, limit });
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/**
 * Pre-trains a DBN on images, fine-tunes it as a classifier, trains the same classifier from
 * random init for comparison and writes filters.png, gibbs.png, dbn-samples.png and report.html.
 *
 * @example
 * ```ts
 * const r = await trainDbn({ dataset: 'digits', layers: [64], pretrainEpochs: 3, finetuneEpochs: 3, outDir: null });
 * console.log(r.pretrainedAccuracy, r.randomInitAccuracy);
 * ```
 */
export async function trainDbn(options: DbnTrainOptions = {}): Promise<DbnTrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const d = DBN_DEFAULTS;
  const layers = [...(options.layers ?? d.layers)];
  if (layers.length === 0 || layers.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new nb.InvalidArgumentError(`train dbn: layers must be positive integers, e.g. [256, 128]; got [${layers.join(', ')}].`);
  }
  const pretrainEpochs = options.pretrainEpochs ?? d.pretrainEpochs;
  const finetuneEpochs = options.finetuneEpochs ?? d.finetuneEpochs;
  const k = options.k ?? d.k;
  const persistent = options.persistent ?? false;
  const learningRate = options.learningRate ?? d.learningRate;
  const batchSize = options.batchSize ?? d.batchSize;
  const seed = options.seed ?? d.seed;
  const limit = options.limit ?? d.limit;

  const data = loadImages(options, limit);
  const xTrain = toVisible(data.train[0]);
  const yTrain = data.train[1];
  const xTest = toVisible(data.test[0]);
  const yTest = data.test[1];
  const visibleUnits = xTrain.shape[1]!;
  const numClasses = data.classNames.length;
  log(`Dataset: ${data.dataset} from ${data.path}: ${xTrain.shape[0]} training and ${xTest.shape[0]} test images of ${visibleUnits} pixels`);
  log(`Backend: ${nb.getBackend()}; DBN ${visibleUnits}-${layers.join('-')}, ${persistent ? 'PCD' : 'CD'}-${k}, learning rate ${learningRate}, batch size ${batchSize}, seed ${seed}`);

  const outDir = options.outDir === null ? null : resolve(options.outDir ?? timestampedRunDir('dbn'));
  const runMeta = { dataset: data.dataset, hyperParameters: { layers: layers.join('-'), k, persistent, learningRate, batchSize, seed } };
  const summary = outDir ? appWriter(outDir, runMeta) : null;
  nb.setSeed(seed);
  const dbn = new DBN({ visibleUnits, hiddenLayers: layers });
  let start = performance.now();
  let reconstructionError: number[][];
  try {
    reconstructionError = dbn.pretrain(xTrain, {
      epochs: pretrainEpochs,
      batchSize,
      k,
      persistent,
      learningRate,
      onEpoch: (layer, epoch, error) => {
        log(`RBM ${layer + 1}/${layers.length} epoch ${epoch}/${pretrainEpochs}: reconstruction error ${error.toFixed(5)}`);
        summary?.scalar(`rbm${layer + 1}/reconstruction_error`, error, epoch);
        summary?.flush();
      },
    });
  } finally {
    summary?.close();
  }
  const pretrainSeconds = (performance.now() - start) / 1000;
  log(`Pre-training took ${pretrainSeconds.toFixed(1)}s`);

  // Both classifiers start from the same seed, so their softmax layers and shuffles are alike.
  const finetune = async (label: string, model: nb.keras.Sequential, run: string) => {
    const t0 = performance.now();
    const callbacks = outDir ? [new nb.keras.callbacks.TensorBoard({ logDir: join(logsDir(outDir), run), updateFreq: 10, metadata: runMeta })] : [];
    const history = await model.fit(xTrain, yTrain, { epochs: finetuneEpochs, batchSize, verbose: 0, callbacks });
    const seconds = (performance.now() - t0) / 1000;
    const accuracy = history.history['accuracy'] ?? [];
    accuracy.forEach((a, i) => log(`${label} epoch ${i + 1}/${finetuneEpochs}: loss ${history.history['loss']![i]!.toFixed(4)}, training accuracy ${pct(a)}`));
    const { loss, accuracy: testAccuracy } = model.evaluate(xTest, yTest, { batchSize: 500 });
    log(`${label}: test accuracy ${pct(testAccuracy!)} (loss ${loss!.toFixed(4)}) in ${seconds.toFixed(1)}s`);
    return { accuracy, testAccuracy: testAccuracy!, loss: loss!, seconds };
  };
  nb.setSeed(seed + 1);
  const pre = await finetune('DBN pre-trained', dbn.toClassifier({ numClasses }), 'finetune-pretrained');
  nb.setSeed(seed + 1);
  const rnd = await finetune('Random init', buildClassifier(visibleUnits, layers, { numClasses }), 'finetune-random-init');
  const diff = (pre.testAccuracy - rnd.testAccuracy) * 100;
  log(`Test accuracy: DBN pre-trained ${pct(pre.testAccuracy)} vs random init ${pct(rnd.testAccuracy)} (${diff >= 0 ? '+' : ''}${diff.toFixed(2)} points)`);

  const result: DbnTrainResult = {
    dataset: data.dataset,
    datasetPath: data.path,
    backend: nb.getBackend(),
    layers,
    visibleUnits,
    trainSamples: xTrain.shape[0]!,
    testSamples: xTest.shape[0]!,
    pretrainEpochs,
    finetuneEpochs,
    cdK: k,
    persistent,
    learningRate,
    batchSize,
    seed,
    reconstructionError,
    pretrainedAccuracy: pre.testAccuracy,
    randomInitAccuracy: rnd.testAccuracy,
    pretrainedLoss: pre.loss,
    randomInitLoss: rnd.loss,
    finetuneAccuracy: { pretrained: pre.accuracy, randomInit: rnd.accuracy },
    pretrainSeconds,
    finetuneSeconds: pre.seconds,
    randomInitSeconds: rnd.seconds,
    outDir: null,
    reportPath: null,
  };

  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    result.outDir = outDir;
    start = performance.now();
    const side = imageSide(visibleUnits);
    const chains = nb.slice(xTest, [0, 0], [Math.min(10, xTest.shape[0]!), visibleUnits]);
    nb.setSeed(seed + 2);
    writePng(join(outDir, 'filters.png'), filterGrid(dbn.rbms[0]!, 100));
    const steps = [0, 1, 5, 25, 100];
    writePng(join(outDir, 'gibbs.png'), gibbsGrid(dbn.rbms[0]!, chains, steps));
    const topSteps = [1, 10, 100];
    const topRows = [chains, ...topSteps.map((s) => dbn.sample(chains, s))];
    const topImages = nb.reshape(nb.mul(nb.concat(topRows, 0), 255), [topRows.length * chains.shape[0]!, side, side, 1]);
    writePng(join(outDir, 'dbn-samples.png'), nb.data.image.montage(topImages, { columns: chains.shape[0]!, padding: 1, background: 96 }));
    const { writeDbnReport } = await import('./report.js');
    result.reportPath = await writeDbnReport(outDir, {
      title: `DBN ${visibleUnits}-${layers.join('-')} on ${data.dataset}`,
      settings: [
        ['dataset', `${data.dataset} (${result.trainSamples} training, ${result.testSamples} test images)`],
        ['backend', result.backend],
        ['pre-training', `${persistent ? 'PCD' : 'CD'}-${k}, ${pretrainEpochs} epochs per layer, learning rate ${learningRate}, momentum 0.5, weight decay 1e-4`],
        ['fine-tuning', `Adam 1e-3, ${finetuneEpochs} epochs, batch size ${batchSize}, sparse categorical crossentropy`],
        ['seed', String(seed)],
        ['time', `pre-training ${pretrainSeconds.toFixed(1)}s, fine-tuning ${pre.seconds.toFixed(1)}s, random-init training ${rnd.seconds.toFixed(1)}s`],
      ],
      reconstructionError,
      finetuneAccuracy: result.finetuneAccuracy,
      pretrainedAccuracy: pre.testAccuracy,
      randomInitAccuracy: rnd.testAccuracy,
      pictures: [
        ['filters.png', 'first RBM: weights of the first 100 hidden units, each normalised to its own range'],
        ['gibbs.png', `first RBM: Gibbs chains from test images; rows after ${steps.join(', ')} steps`],
        ['dbn-samples.png', `top RBM: Gibbs chains from test images passed down to pixels; rows: input, then after ${topSteps.join(', ')} top-level steps`],
      ],
    });
    log(`Wrote ${result.reportPath} with filters.png, gibbs.png, dbn-samples.png (${((performance.now() - start) / 1000).toFixed(1)}s)`);
  }
  return result;
}
