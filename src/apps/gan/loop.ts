// The epoch loop shared by the GAN apps: shuffled batches, a model-specific step, a grid of
// samples from a fixed noise batch after every epoch, the FID-style score, and the progress strip.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';
import { toPixels } from './data.js';
import { fidScore } from './fid.js';
import { progressStrip, sampleGrid, writeSampleGrid } from './samples.js';

/** Per-epoch means of a step's figures (e.g. dLoss, gLoss), plus `fid` when scored. */
export type GanHistory = Record<string, number[]>;

export interface GanLoopOptions {
  /** Training images in [-1, 1], [n, 28, 28, 1]. */
  images: nb.Tensor;
  epochs: number;
  batchSize: number;
  /** One training step on a batch of real images; returns its figures (losses, accuracies). */
  step: (real: nb.Tensor) => Record<string, number>;
  /** Generator in inference mode: noise -> images in [-1, 1]. */
  generate: (noise: nb.Tensor) => nb.Tensor;
  /** The fixed noise batch of the sample grids. */
  fixedNoise: nb.Tensor;
  /** Where epoch-NNN.png go (null: nowhere). */
  outDir: string | null;
  /** Run log for the dashboard/TensorBoard: step figures every 10 steps, epoch means, sample grids. */
  summary?: nb.summary.SummaryWriter | null;
  /** Score each epoch with this classifier against these real images (0..255). */
  score?: { classifier: nb.keras.Model; real: nb.Tensor; latentDim: number; samples: number } | null;
  log: (line: string) => void;
}

export interface GanLoopResult {
  history: GanHistory;
  /** Seconds spent in training steps (not sampling or scoring). */
  trainSeconds: number;
  steps: number;
  /** Samples of the fixed noise after each epoch, [-1, 1]. */
  epochSamples: nb.Tensor[];
  /** FID-style score of the untrained generator (null when not scored). */
  fidInitial: number | null;
}

/** Generates `n` images in batches with fresh noise and returns them as pixels 0..255. */
export function generatePixels(generate: (noise: nb.Tensor) => nb.Tensor, latentDim: number, n: number, batchSize = 256): nb.Tensor {
  const parts: nb.Tensor[] = [];
  for (let done = 0; done < n; done += batchSize) parts.push(generate(nb.randomNormal([Math.min(batchSize, n - done), latentDim])));
  return toPixels(parts.length === 1 ? parts[0]! : nb.concat(parts, 0));
}

function scoreNow(opts: GanLoopOptions): number | null {
  const s = opts.score;
  if (!s) return null;
  return fidScore(s.classifier, s.real, generatePixels(opts.generate, s.latentDim, s.samples));
}

/** Runs the epochs; logs one line per epoch with the mean figures. */
export function runGanLoop(opts: GanLoopOptions): GanLoopResult {
  const { images, epochs, batchSize, log } = opts;
  const n = images.shape[0]!;
  const batches = Math.floor(n / batchSize);
  if (batches < 1) {
    throw new nb.InvalidArgumentError(`gan training: ${n} images are fewer than one batch of ${batchSize}; lower --batch-size or use more images.`);
  }
  if (opts.outDir) mkdirSync(opts.outDir, { recursive: true });
  const history: GanHistory = {};
  const epochSamples: nb.Tensor[] = [];
  const fidInitial = scoreNow(opts);
  if (fidInitial !== null) log(`FID-style score of the untrained generator: ${fidInitial.toFixed(2)}`);
  let trainSeconds = 0;
  let steps = 0;
  const rest = images.shape.slice(1);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = nb.randomShuffle(nb.range(0, n, 1, 'int32'));
    const shuffled = nb.gather(images, order);
    const sums: Record<string, number> = {};
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) {
      const real = nb.slice(shuffled, [b * batchSize, ...rest.map(() => 0)], [batchSize, ...rest]);
      const figures = opts.step(real);
      for (const [k, v] of Object.entries(figures)) sums[k] = (sums[k] ?? 0) + v;
      steps++;
      if (opts.summary && steps % 10 === 0) for (const [k, v] of Object.entries(figures)) opts.summary.scalar(`step_${k}`, v, steps);
    }
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    for (const [k, v] of Object.entries(sums)) (history[k] ??= []).push(v / batches);
    const samples = opts.generate(opts.fixedNoise);
    epochSamples.push(samples);
    if (opts.outDir) writeSampleGrid(join(opts.outDir, `epoch-${String(epoch).padStart(3, '0')}.png`), samples);
    const fid = scoreNow(opts);
    if (fid !== null) (history['fid'] ??= []).push(fid);
    if (opts.summary) {
      for (const [k, v] of Object.entries(history)) opts.summary.scalar(`epoch_${k}`, v.at(-1)!, epoch);
      opts.summary.image('samples', nb.div(nb.cast(sampleGrid(samples), 'float32'), 255), epoch);
      opts.summary.flush();
    }
    const shown = Object.entries(history)
      .map(([k, v]) => `${k} ${v.at(-1)!.toFixed(4)}`)
      .join(', ');
    log(`Epoch ${epoch}/${epochs}: ${shown} (${seconds.toFixed(1)} s, ${((seconds / batches) * 1000).toFixed(0)} ms/step)`);
  }
  return { history, trainSeconds, steps, epochSamples, fidInitial };
}

/** The progress strip (one row per epoch) as a PNG file. */
export function writeProgress(path: string, epochSamples: readonly nb.Tensor[]): void {
  nb.data.image.writeImage(path, progressStrip(epochSamples));
}
