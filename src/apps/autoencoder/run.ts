// What the two autoencoder apps share: options, loading data once, seeding, the output folder,
// and the fields every result has.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { timestampedRunDir } from '../common/run-dir.js';
import { loadAutoencoderData, type AutoencoderData, type AutoencoderDataOptions } from './data.js';

/** Options of `trainAutoencoder` for both models. */
export interface AutoencoderRunOptions extends AutoencoderDataOptions {
  epochs?: number;
  batchSize?: number;
  /** Seed of the weights, shuffling and latent noise (default 42). */
  seed?: number;
  /** Filters of the first conv layer (default 16). */
  filters?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Output folder (default runs/autoencoder-<model>-<timestamp>); null writes nothing. */
  outDir?: string | null;
  /** Keras progress bar of `fit` (conv) and epoch lines: 1 (default) or 0 (epoch lines only). */
  verbose?: 0 | 1;
  log?: (line: string) => void;
  /** Data already loaded (tests). */
  data?: AutoencoderData;
}

/** Fields every autoencoder result has. */
export interface AutoencoderRunBase {
  dataset: string;
  datasetPath: string;
  backend: string;
  epochs: number;
  batchSize: number;
  seed: number;
  trainImages: number;
  testImages: number;
  /** Seconds in training steps (all epochs). */
  trainSeconds: number;
  /** Seconds of the whole run: data, training, evaluation and outputs. */
  totalSeconds: number;
  outDir: string | null;
  /** Files written: name -> path. */
  files: Record<string, string>;
}

/** The context a model's run gets: the data and settings resolved, and the output folder made. */
export interface RunContext {
  data: AutoencoderData;
  epochs: number;
  batchSize: number;
  seed: number;
  outDir: string | null;
  log: (line: string) => void;
  started: number;
  base: () => Omit<AutoencoderRunBase, 'trainSeconds' | 'totalSeconds' | 'files'>;
}

/**
 * Resolves the options, loads the data, seeds nb and makes the output folder.
 *
 * @example
 * ```ts
 * const run = startRun('vae', {epochs: 2, batchSize: 64}, {limit: 1000, outDir: null});
 * ```
 */
export function startRun(kind: string, defaults: { epochs: number; batchSize: number }, options: AutoencoderRunOptions): RunContext {
  const started = performance.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const data = options.data ?? loadAutoencoderData(options);
  const epochs = options.epochs ?? defaults.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) throw new nb.InvalidArgumentError(`autoencoder: epochs must be a positive integer, got ${String(epochs)}.`);
  const batchSize = Math.min(options.batchSize ?? defaults.batchSize, data.trainImages.shape[0]!);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new nb.InvalidArgumentError(`autoencoder: batchSize must be a positive integer, got ${String(options.batchSize)}.`);
  const seed = options.seed ?? 42;
  nb.setSeed(seed);
  const outDir = options.outDir === null ? null : resolve(options.outDir ?? timestampedRunDir(`autoencoder-${kind}`));
  if (outDir) mkdirSync(outDir, { recursive: true });
  if (!options.data && options.dataset === undefined && data.dataset === 'digits') {
    log(`Fashion-MNIST was not found (looked in ${nb.datasets.fashionMnist.searchPaths().join(', ')}); using the 8x8 digits that ship with nabla. Put the four IDX files (train-images-idx3-ubyte.gz, ...) in one of those folders or pass --data-dir DIR.`);
  }
  log(`Dataset: ${data.dataset} from ${data.path}: ${data.trainImages.shape[0]} training and ${data.testImages.shape[0]} test images`);
  const base = () => ({
    dataset: data.dataset,
    datasetPath: data.path,
    backend: nb.getBackend(),
    epochs,
    batchSize,
    seed,
    trainImages: data.trainImages.shape[0]!,
    testImages: data.testImages.shape[0]!,
    outDir,
  });
  return { data, epochs, batchSize, seed, outDir, log, started, base };
}

/**
 * The first `n` images of a batch (for the pictures).
 *
 * @example
 * ```ts
 * firstImages(testImages, 20).shape;   // [20, 28, 28, 1]
 * ```
 */
export function firstImages(x: nb.Tensor, n: number): nb.Tensor {
  return nb.slice(x, [0, 0, 0, 0], [Math.min(n, x.shape[0]!), ...x.shape.slice(1)]);
}

/**
 * Writes result.json into the folder (when there is one).
 *
 * @example
 * ```ts
 * writeResult('runs/vae', {testElbo: -260});
 * ```
 */
export function writeResult(outDir: string | null, result: object): void {
  if (outDir) writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
}
