// What `nabla train gan` and `nabla train dcgan` share around their models: data, seeds, the
// classifier of the FID-style score, the epoch loop, saving the generator, the report and the
// figures of the JSON line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { loadGanData, type GanData } from './data.js';
import { fidScore, trainScoreClassifier, type ScoreClassifier } from './fid.js';
import { appWriter } from '../common/run-logger.js';
import { runGanLoop, writeProgress, type GanHistory, type GanLoopResult } from './loop.js';
import { writeGanReport } from './report.js';
import { encodeGif } from './gif.js';
import { sampleGrid } from './samples.js';

/** Options common to the GAN apps. */
export interface GanRunOptions {
  /** 'fashion-mnist', 'mnist', 'digits' or a folder of images (default: fashion-mnist if found, else digits). */
  dataset?: string;
  epochs?: number;
  batchSize?: number;
  /** Train on the first `limit` images. */
  limit?: number;
  seed?: number;
  /** Output folder (default runs/<model>-<timestamp>); null writes nothing. */
  outDir?: string | null;
  /** Images generated and real images used per FID-style score (default 500; 0 turns scoring off). */
  fidSamples?: number;
  /** A classifier saved by `nabla train mnist` for the score, instead of training one on the data. */
  classifierPath?: string;
  log?: (line: string) => void;
  /** Data already loaded (tests). */
  data?: GanData;
}

/** The model-specific half of a GAN app. */
export interface GanModelSpec {
  /** 'gan' or 'dcgan'. */
  kind: string;
  /** Title of the report, before ' on <dataset>'. */
  title: string;
  latentDim: number;
  generator: nb.keras.Model;
  step: (real: nb.Tensor) => Record<string, number>;
  generate: (noise: nb.Tensor) => nb.Tensor;
  /** Keys of the history drawn as loss curves. */
  lossKeys: string[];
  /** Rows describing the networks and optimizer in the report. */
  settings: [string, string][];
}

export interface GanRunResult {
  model: string;
  dataset: string;
  datasetPath: string;
  backend: string;
  epochs: number;
  batchSize: number;
  seed: number;
  trainImages: number;
  latentDim: number;
  steps: number;
  trainSeconds: number;
  secondsPerStep: number;
  /** Last epoch's mean figures (dLoss, gLoss, ...). */
  final: Record<string, number>;
  history: GanHistory;
  /** FID-style score after training, of the untrained generator, and of held-out real images (the floor); null when not scored. */
  fid: number | null;
  fidInitial: number | null;
  fidReal: number | null;
  fidSamples: number;
  classifier: { source: string; testAccuracy: number | null } | null;
  outDir: string | null;
  generatorPath: string | null;
  samplesPath: string | null;
  progressPath: string | null;
  /** Animated GIF of the sample grids, one frame per epoch. */
  gifPath: string | null;
  reportPath: string | null;
}

export function defaultGanOutDir(kind: string, now = new Date()): string {
  return join('runs', `${kind}-${now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-')}`);
}

async function scoreClassifier(data: GanData, options: GanRunOptions, log: (line: string) => void): Promise<ScoreClassifier | null> {
  if ((options.fidSamples ?? 500) === 0) return null;
  if (options.classifierPath) {
    const model = nb.keras.loadModel(options.classifierPath);
    return { model, testAccuracy: null, source: options.classifierPath };
  }
  if (!data.labels || !data.test) {
    log('No FID-style score: the images have no labels to train its classifier; pass --classifier MODEL (from nabla train mnist).');
    return null;
  }
  const pixels = nb.clipByValue(nb.mul(nb.add(data.images, 1), 127.5), 0, 255);
  const t0 = performance.now();
  const classifier = await trainScoreClassifier([pixels, nb.tensor(data.labels, [data.labels.length], 'int32')], data.test);
  const acc = classifier.testAccuracy === null ? '' : `, test accuracy ${(classifier.testAccuracy * 100).toFixed(1)}%`;
  log(`Trained the score's classifier (mnist_convnet) in ${((performance.now() - t0) / 1000).toFixed(1)} s${acc}`);
  return classifier;
}

/** Real reference images (0..255) of the score: held-out test images, else the training images. */
function referenceImages(data: GanData, n: number): { real: nb.Tensor; holdout: nb.Tensor | null } {
  const take = (x: nb.Tensor, k: number, from = 0): nb.Tensor => nb.slice(x, [from, 0, 0, 0], [Math.min(k, x.shape[0]! - from), ...x.shape.slice(1)]);
  const trainPixels = nb.clipByValue(nb.mul(nb.add(data.images, 1), 127.5), 0, 255);
  if (data.test) return { real: take(data.test[0], n), holdout: take(trainPixels, n) };
  return { real: take(trainPixels, n), holdout: null };
}

/** Loads the data, trains with the model spec built by `build`, writes the outputs. */
export async function runGanApp(defaults: { epochs: number; batchSize: number }, options: GanRunOptions, build: (data: GanData) => GanModelSpec): Promise<GanRunResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const seed = options.seed ?? 42;
  const data = options.data ?? loadGanData({ dataset: options.dataset, limit: options.limit });
  const epochs = options.epochs ?? defaults.epochs;
  const batchSize = Math.min(options.batchSize ?? defaults.batchSize, data.images.shape[0]!);
  nb.setSeed(seed);
  const spec = build(data);
  log(`Dataset: ${data.dataset} from ${data.path}: ${data.images.shape[0]} images of ${data.images.shape.slice(1).join('x')}`);
  log(`Model: ${spec.title}; backend ${nb.getBackend()}; epochs ${epochs}, batch size ${batchSize}, seed ${seed}`);

  const fidSamples = options.fidSamples ?? 500;
  const classifier = await scoreClassifier(data, options, log);
  let fidReal: number | null = null;
  let score = null;
  if (classifier) {
    const { real, holdout } = referenceImages(data, fidSamples);
    if (holdout) fidReal = fidScore(classifier.model, real, holdout);
    if (fidReal !== null) log(`FID-style score of real training images against the test images (the floor): ${fidReal.toFixed(2)}`);
    score = { classifier: classifier.model, real, latentDim: spec.latentDim, samples: fidSamples };
  }

  const outDir = options.outDir === null ? null : resolve(options.outDir ?? defaultGanOutDir(spec.kind));
  // The fixed noise of the sample grids is drawn from its own seed so it is the same whatever the model.
  nb.setSeed(seed + 1);
  const fixedNoise = nb.randomNormal([64, spec.latentDim]);
  nb.setSeed(seed);
  const summary = outDir ? appWriter(outDir, { dataset: data.dataset, model: spec.kind, hyperParameters: { epochs, batchSize, seed, latentDim: spec.latentDim } }) : null;
  let loop: GanLoopResult;
  try {
    loop = runGanLoop({ images: data.images, epochs, batchSize, step: spec.step, generate: spec.generate, fixedNoise, outDir, score, log, summary });
  } finally {
    summary?.close();
  }
  const final = Object.fromEntries(Object.entries(loop.history).map(([k, v]) => [k, v.at(-1)!]));
  const result: GanRunResult = {
    model: spec.kind,
    dataset: data.dataset,
    datasetPath: data.path,
    backend: nb.getBackend(),
    epochs,
    batchSize,
    seed,
    trainImages: data.images.shape[0]!,
    latentDim: spec.latentDim,
    steps: loop.steps,
    trainSeconds: loop.trainSeconds,
    secondsPerStep: loop.trainSeconds / Math.max(1, loop.steps),
    final,
    history: loop.history,
    fid: final['fid'] ?? null,
    fidInitial: loop.fidInitial,
    fidReal,
    fidSamples: score ? fidSamples : 0,
    classifier: classifier ? { source: classifier.source, testAccuracy: classifier.testAccuracy } : null,
    outDir,
    generatorPath: null,
    samplesPath: null,
    progressPath: null,
    gifPath: null,
    reportPath: null,
  };
  if (result.fid !== null) log(`FID-style score: ${result.fidInitial!.toFixed(2)} untrained -> ${result.fid.toFixed(2)} after ${epochs} epoch(s)${fidReal !== null ? ` (real images: ${fidReal.toFixed(2)})` : ''}`);

  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    result.generatorPath = join(outDir, 'generator.nabla');
    spec.generator.save(result.generatorPath);
    result.samplesPath = join(outDir, `epoch-${String(epochs).padStart(3, '0')}.png`);
    result.progressPath = join(outDir, 'progress.png');
    writeProgress(result.progressPath, loop.epochSamples);
    result.gifPath = join(outDir, 'samples.gif');
    writeFileSync(result.gifPath, encodeGif(loop.epochSamples.map((x) => sampleGrid(x)), { delayMs: 400 }));
    const settings: [string, string][] = [
      ['dataset', `${data.dataset} — ${data.path} (${result.trainImages} images)`],
      ['backend', nb.getBackend()],
      ...spec.settings,
      ['epochs', String(epochs)],
      ['batch size', String(batchSize)],
      ['steps', `${result.steps} (${(result.secondsPerStep * 1000).toFixed(0)} ms per step, ${result.trainSeconds.toFixed(1)} s in all)`],
      ['seed', String(seed)],
      ['FID-style score', result.fid === null ? 'not computed' : `${result.fid.toFixed(2)} (untrained generator ${result.fidInitial!.toFixed(2)}${fidReal !== null ? `; real held-out images ${fidReal.toFixed(2)}` : ''}; ${fidSamples} images each)`],
    ];
    if (classifier) settings.push(['score classifier', `${classifier.source === 'trained' ? 'mnist_convnet trained on the training images' : classifier.source}${classifier.testAccuracy !== null ? `, test accuracy ${(classifier.testAccuracy * 100).toFixed(1)}%` : ''}`]);
    result.reportPath = await writeGanReport(outDir, {
      title: `${spec.title} on ${data.dataset}`,
      settings,
      history: loop.history,
      lossKeys: spec.lossKeys,
      fidInitial: loop.fidInitial,
      pictures: [
        [`epoch-${String(epochs).padStart(3, '0')}.png`, `Samples of the fixed noise batch after epoch ${epochs}`],
        ['progress.png', 'The first 8 samples of the fixed noise after each epoch (one row per epoch, top: epoch 1)'],
      ],
    });
    writeFileSync(join(outDir, 'generator.json'), `${JSON.stringify({ model: spec.kind, latentDim: spec.latentDim, outputRange: [-1, 1], dataset: data.dataset }, null, 2)}\n`);
    writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`Saved the generator to ${result.generatorPath}`);
    log(`Report: ${result.reportPath}`);
  }
  return result;
}
