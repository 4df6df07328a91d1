// `nabla train autoencoder --model vae`: the VAE's GradientTape epoch loop, its test ELBO, and the
// pictures: reconstructions, the decoded latent map, a scatter of latent means, prior samples.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';
import { appWriter } from '../common/run-logger.js';
import { latentMap, priorSamples, reconstructionGrid } from './images.js';
import { writeAutoencoderReport } from './report.js';
import { firstImages, startRun, writeResult, type AutoencoderRunBase, type AutoencoderRunOptions } from './run.js';
import { latentScatterPng, latentScatterSpec } from './scatter.js';
import { Vae, type VaeLosses } from './vae.js';

export interface VaeRunOptions extends AutoencoderRunOptions {
  /** Size of z (default 2). */
  latentDim?: number;
  /** Test images shown in the latent scatter (default 2000). */
  scatterPoints?: number;
}

export interface VaeResult extends AutoencoderRunBase {
  model: 'vae';
  latentDim: number;
  /** Test ELBO per image (nats; higher is better) = -(testRecon + testKl), one z sample per image. */
  testElbo: number;
  /** Summed binary cross-entropy per test image. */
  testRecon: number;
  /** KL divergence from the prior per test image. */
  testKl: number;
  /** Test ELBO of the untrained model, for scale. */
  testElboInitial: number;
  /** Per-epoch means over the training batches: elbo, recon, kl. */
  history: { elbo: number[]; recon: number[]; kl: number[] };
}

/**
 * One epoch over `images` in a seeded shuffled order; returns the image-weighted mean figures.
 *
 * @example
 * ```ts
 * const {elbo, recon, kl} = vaeEpoch(vae, trainImages, 64);
 * ```
 */
export function vaeEpoch(vae: Vae, images: nb.Tensor, batchSize: number, onStep?: (figures: VaeLosses) => void): VaeLosses {
  const n = images.shape[0]!;
  const order = nb.randomShuffle(nb.range(0, n, 1, 'int32'));
  let recon = 0;
  let kl = 0;
  for (let start = 0; start < n; start += batchSize) {
    const k = Math.min(batchSize, n - start);
    const f = vae.trainBatch(nb.gather(images, nb.slice(order, [start], [k])));
    onStep?.(f);
    recon += f.recon * k;
    kl += f.kl * k;
  }
  return { recon: recon / n, kl: kl / n, loss: (recon + kl) / n, elbo: -(recon + kl) / n };
}

const fmt = (f: VaeLosses): string => `elbo: ${f.elbo.toFixed(2)} - recon: ${f.recon.toFixed(2)} - kl: ${f.kl.toFixed(2)}`;

/**
 * Trains the VAE with its GradientTape step and reports the test ELBO and its two parts.
 *
 * @example
 * ```ts
 * const r = await trainVae({latentDim: 2, epochs: 5, outDir: 'runs/vae'});
 * console.log(r.testElbo, r.testRecon, r.testKl);
 * ```
 */
export async function trainVae(options: VaeRunOptions = {}): Promise<VaeResult> {
  const run = startRun('vae', { epochs: 2, batchSize: 64 }, options);
  const { data, log } = run;
  const vae = new Vae({ latentDim: options.latentDim, filters: options.filters, learningRate: options.learningRate });
  log(`Model: VAE, latent dim ${vae.latentDim}, ${vae.filters} filters; backend ${nb.getBackend()}; epochs ${run.epochs}, batch size ${run.batchSize}, seed ${run.seed}`);
  const initial = vae.evaluateLosses(data.testImages);
  log(`Untrained: test ${fmt(initial)}`);
  const history: VaeResult['history'] = { elbo: [], recon: [], kl: [] };
  let trainSeconds = 0;
  // The run log under OUT/logs, for 'nabla dashboard' / --dashboard: step figures every 10 steps, epoch means.
  const summary = run.outDir ? appWriter(run.outDir, { dataset: data.dataset, hyperParameters: { model: 'vae', latentDim: vae.latentDim, epochs: run.epochs, batchSize: run.batchSize, seed: run.seed } }) : null;
  let steps = 0;
  const onStep = (f: VaeLosses): void => {
    steps++;
    if (summary && steps % 10 === 0) for (const k of ['elbo', 'recon', 'kl'] as const) summary.scalar(`step_${k}`, f[k], steps);
  };
  for (let epoch = 0; epoch < run.epochs; epoch++) {
    const t0 = performance.now();
    const f = vaeEpoch(vae, data.trainImages, run.batchSize, onStep);
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    history.elbo.push(f.elbo);
    history.recon.push(f.recon);
    history.kl.push(f.kl);
    log(`Epoch ${epoch + 1}/${run.epochs} - ${seconds.toFixed(1)}s - ${fmt(f)}`);
    if (summary) {
      for (const k of ['elbo', 'recon', 'kl'] as const) summary.scalar(`epoch_${k}`, f[k], epoch + 1);
      summary.flush();
    }
  }
  summary?.close();
  const test = vae.evaluateLosses(data.testImages);
  log(`Test (per image, nats): ${fmt(test)}`);

  const files: Record<string, string> = {};
  if (run.outDir) await writePictures(run.outDir, vae, options, run.data, files);
  const result: VaeResult = {
    model: 'vae',
    ...run.base(),
    latentDim: vae.latentDim,
    testElbo: test.elbo,
    testRecon: test.recon,
    testKl: test.kl,
    testElboInitial: initial.elbo,
    history,
    trainSeconds,
    totalSeconds: 0,
    files,
  };
  if (run.outDir) {
    files['report'] = writeAutoencoderReport(run.outDir, {
      title: `Variational autoencoder on ${data.dataset}`,
      headline: `Test ELBO ${test.elbo.toFixed(2)} nats per image (reconstruction ${test.recon.toFixed(2)}, KL ${test.kl.toFixed(2)}); untrained ${initial.elbo.toFixed(2)}`,
      settings: [
        ['dataset', `${data.dataset} — ${data.path} (${result.trainImages} training, ${result.testImages} test images)`],
        ['backend', result.backend],
        ['encoder', `28x28x1 -> Conv ${vae.filters} 3x3/2 ReLU -> Conv ${2 * vae.filters} 3x3/2 ReLU -> Dense 16 ReLU -> zMean, zLogVar (${vae.latentDim} each)`],
        ['decoder', `z -> Dense 7x7x${2 * vae.filters} ReLU -> ConvT ${2 * vae.filters} 3x3/2 -> ConvT ${vae.filters} 3x3/2 -> ConvT 1 3x3 -> sigmoid`],
        ['training', `GradientTape step on -ELBO = summed BCE + KL, z = mean + exp(logVar / 2) * eps; Adam ${options.learningRate ?? 1e-3}`],
        ['epochs', String(result.epochs)],
        ['batch size', String(result.batchSize)],
        ['seed', String(result.seed)],
        ['training time', `${trainSeconds.toFixed(1)} s`],
      ],
      history: history as unknown as Record<string, number[]>,
      pictures: [
        ['reconstructions.png', 'Test images (odd rows) above their reconstructions (even rows; one z sample each)'],
        ['latent-map.png', 'Images decoded over a 15x15 grid of z[0], z[1] in [-2, 2] (other dimensions 0)'],
        ['latent-scatter.png', 'Latent means of test images, coloured by class'],
        ['prior-samples.png', '64 images decoded from z drawn from the prior N(0, I)'],
      ],
    });
    files['result'] = join(run.outDir, 'result.json');
  }
  result.totalSeconds = (performance.now() - run.started) / 1000;
  writeResult(run.outDir, result);
  return result;
}

async function writePictures(dir: string, vae: Vae, options: VaeRunOptions, data: { testImages: nb.Tensor; testLabels: Int32Array; classNames: string[] }, files: Record<string, string>): Promise<void> {
  const shown = firstImages(data.testImages, 20);
  files['reconstructions'] = join(dir, 'reconstructions.png');
  nb.data.image.writeImage(files['reconstructions'], reconstructionGrid(shown, vae.apply(shown) as nb.Tensor));
  files['latentMap'] = join(dir, 'latent-map.png');
  nb.data.image.writeImage(files['latentMap'], latentMap(vae, 15, 2));
  files['priorSamples'] = join(dir, 'prior-samples.png');
  nb.data.image.writeImage(files['priorSamples'], priorSamples(vae, 64));
  const points = firstImages(data.testImages, options.scatterPoints ?? 2000);
  const [zMean] = vae.encode(points);
  files['latentScatter'] = join(dir, 'latent-scatter.png');
  writeFileSync(files['latentScatter'], await latentScatterPng(latentScatterSpec(zMean, data.testLabels, data.classNames)));
  files['encoder'] = join(dir, 'encoder.nabla');
  vae.encoder.save(files['encoder']);
  files['decoder'] = join(dir, 'decoder.nabla');
  vae.decoder.save(files['decoder']);
}
