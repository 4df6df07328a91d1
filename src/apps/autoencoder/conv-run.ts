// `nabla train autoencoder --model conv`: fit the convolutional autoencoder, measure the test
// reconstruction error against the mean-image baseline, write the reconstruction grid and report.
import { join } from 'node:path';
import * as nb from '../../index.js';
import { runLogger } from '../common/run-logger.js';
import { StepTimer } from '../common/step-timer.js';
import { buildConvAutoencoder, meanImageError, meanSquaredError } from './conv.js';
import { reconstructionGrid } from './images.js';
import { writeAutoencoderReport } from './report.js';
import { firstImages, startRun, writeResult, type AutoencoderRunBase, type AutoencoderRunOptions } from './run.js';

export interface ConvAutoencoderRunOptions extends AutoencoderRunOptions {
  /** Channels of the 7x7 bottleneck (default 4: 196 numbers per 784-pixel image). */
  bottleneckChannels?: number;
}

export interface ConvAutoencoderResult extends AutoencoderRunBase {
  model: 'conv';
  /** Numbers per image in the bottleneck (7 * 7 * channels). */
  codeSize: number;
  /** Mean squared error per pixel of the test reconstructions (pixels in [0, 1]). */
  testReconstructionError: number;
  /** Binary cross-entropy per pixel on the test images (the training loss). */
  testBce: number;
  /** MSE of predicting every test image by the mean training image: the baseline. */
  meanImageError: number;
  /** Per-epoch training loss (BCE) and MSE. */
  history: Record<string, number[]>;
}

/**
 * Trains the convolutional autoencoder with `model.fit` and evaluates it on the test images.
 *
 * @example
 * ```ts
 * const r = await trainConvAutoencoder({epochs: 2, limit: 5000, outDir: null});
 * console.log(r.testReconstructionError, 'vs mean image', r.meanImageError);
 * ```
 */
export async function trainConvAutoencoder(options: ConvAutoencoderRunOptions = {}): Promise<ConvAutoencoderResult> {
  const run = startRun('conv', { epochs: 2, batchSize: 64 }, options);
  const { data, log } = run;
  const model = buildConvAutoencoder({ filters: options.filters, bottleneckChannels: options.bottleneckChannels, learningRate: options.learningRate });
  const codeSize = 7 * 7 * (options.bottleneckChannels ?? 4);
  log(`Model: conv autoencoder, ${options.filters ?? 16} filters, bottleneck 7x7x${codeSize / 49} (${codeSize} numbers); backend ${nb.getBackend()}; epochs ${run.epochs}, batch size ${run.batchSize}, seed ${run.seed}`);
  const timer = new StepTimer();
  const callbacks: nb.keras.callbacks.Callback[] = [timer];
  // The run log under OUT/logs, for 'nabla dashboard' / --dashboard.
  if (run.outDir) callbacks.push(runLogger(run.outDir, { dataset: data.dataset, hyperParameters: { model: 'conv', epochs: run.epochs, batchSize: run.batchSize, seed: run.seed, codeSize } }));
  const history = await model.fit(data.trainImages, data.trainImages, { epochs: run.epochs, batchSize: run.batchSize, verbose: options.verbose ?? 1, callbacks });
  const recon = model.predict(data.testImages, { batchSize: 256 }) as nb.Tensor;
  const testReconstructionError = meanSquaredError(recon, data.testImages);
  const testBce = nb.mean(nb.keras.losses.binaryCrossentropy(data.testImages, recon)).item() as number;
  const baseline = meanImageError(data.trainImages, data.testImages);
  log(`Test reconstruction error (MSE per pixel): ${testReconstructionError.toFixed(5)}; predicting the mean image: ${baseline.toFixed(5)}; test BCE per pixel ${testBce.toFixed(4)}`);

  const files: Record<string, string> = {};
  if (run.outDir) {
    const dir = run.outDir;
    files['reconstructions'] = join(dir, 'reconstructions.png');
    nb.data.image.writeImage(files['reconstructions'], reconstructionGrid(firstImages(data.testImages, 20), firstImages(recon, 20)));
    files['model'] = join(dir, 'model.nabla');
    model.save(files['model']);
  }
  const result: ConvAutoencoderResult = {
    model: 'conv',
    ...run.base(),
    codeSize,
    testReconstructionError,
    testBce,
    meanImageError: baseline,
    history: history.history,
    trainSeconds: timer.seconds,
    totalSeconds: 0,
    files,
  };
  if (run.outDir) {
    files['report'] = writeAutoencoderReport(run.outDir, {
      title: `Convolutional autoencoder on ${data.dataset}`,
      headline: `Test reconstruction error (MSE per pixel) ${testReconstructionError.toFixed(5)}, against ${baseline.toFixed(5)} for predicting the mean training image`,
      settings: settingsRows(result, options),
      history: history.history,
      pictures: [['reconstructions.png', 'Test images (odd rows) above their reconstructions (even rows)']],
    });
    files['result'] = join(run.outDir, 'result.json');
  }
  result.totalSeconds = (performance.now() - run.started) / 1000;
  writeResult(run.outDir, result);
  return result;
}

function settingsRows(r: ConvAutoencoderResult, options: ConvAutoencoderRunOptions): [string, string][] {
  const f = options.filters ?? 16;
  return [
    ['dataset', `${r.dataset} — ${r.datasetPath} (${r.trainImages} training, ${r.testImages} test images)`],
    ['backend', r.backend],
    ['model', `28x28x1 -> Conv ${f} 3x3/2 ReLU -> Conv ${r.codeSize / 49} 3x3/2 ReLU (bottleneck, ${r.codeSize} numbers) -> ConvT ${f} 3x3/2 ReLU -> ConvT ${f} 3x3/2 ReLU -> Conv 1 3x3 sigmoid`],
    ['training', `model.fit on binary cross-entropy, Adam ${options.learningRate ?? 1e-3}`],
    ['epochs', String(r.epochs)],
    ['batch size', String(r.batchSize)],
    ['seed', String(r.seed)],
    ['training time', `${r.trainSeconds.toFixed(1)} s`],
  ];
}
