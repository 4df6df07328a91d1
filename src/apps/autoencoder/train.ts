// `nabla train autoencoder`: one entry point for the convolutional autoencoder and the VAE.
import * as nb from '../../index.js';
import { trainConvAutoencoder, type ConvAutoencoderResult, type ConvAutoencoderRunOptions } from './conv-run.js';
import { trainVae, type VaeResult, type VaeRunOptions } from './vae-run.js';

/** The models of `nabla train autoencoder`. */
export const AUTOENCODER_MODELS = ['conv', 'vae'] as const;
export type AutoencoderModelName = (typeof AUTOENCODER_MODELS)[number];

export interface AutoencoderTrainOptions extends ConvAutoencoderRunOptions, VaeRunOptions {
  /** 'conv' (default) or 'vae'. */
  model?: AutoencoderModelName;
}

export type AutoencoderResult = ConvAutoencoderResult | VaeResult;

/**
 * Trains the convolutional autoencoder (`model: 'conv'`) or the VAE (`model: 'vae'`) on
 * Fashion-MNIST (else the shipped digits) and writes its pictures and report.
 *
 * @example
 * ```ts
 * const r = await trainAutoencoder({model: 'vae', latentDim: 2, epochs: 3, outDir: 'runs/vae'});
 * if (r.model === 'vae') console.log(`test ELBO ${r.testElbo}`);
 * ```
 */
export async function trainAutoencoder(options: AutoencoderTrainOptions = {}): Promise<AutoencoderResult> {
  const model = options.model ?? 'conv';
  if (model === 'conv') return trainConvAutoencoder(options);
  if (model === 'vae') return trainVae(options);
  throw new nb.InvalidArgumentError(`autoencoder: unknown model '${String(model)}'; use one of ${AUTOENCODER_MODELS.join(', ')}.`);
}
