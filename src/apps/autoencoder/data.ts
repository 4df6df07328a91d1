// Images of the autoencoder apps: Fashion-MNIST (or, when its files are not found and no dataset
// is named, the 8x8 digits that ship with nabla, upscaled to 28x28) as float32 [n, 28, 28, 1] in
// [0, 1] — the sigmoid range the decoders end in — with labels for the latent-space scatter.
import * as nb from '../../index.js';
import { findIdxFolder, loadData } from '../mnist/data.js';

/** The datasets `nabla train autoencoder` reads. */
export const AUTOENCODER_DATASETS = ['fashion-mnist', 'digits'] as const;
export type AutoencoderDatasetName = (typeof AUTOENCODER_DATASETS)[number];

/** Training and test images in [0, 1] with their labels. */
export interface AutoencoderData {
  dataset: AutoencoderDatasetName;
  /** The folder or file the images came from. */
  path: string;
  classNames: string[];
  /** float32 [n, 28, 28, 1] in [0, 1]. */
  trainImages: nb.Tensor;
  trainLabels: Int32Array;
  testImages: nb.Tensor;
  testLabels: Int32Array;
}

export interface AutoencoderDataOptions {
  /** 'fashion-mnist' or 'digits'; default fashion-mnist when its IDX files are found, else digits. */
  dataset?: AutoencoderDatasetName;
  /** Folder holding the four Fashion-MNIST IDX files, instead of searching the usual places. */
  dataPath?: string;
  /** Keep the first `limit` training images. */
  limit?: number;
  /** Keep the first `testLimit` test images. */
  testLimit?: number;
}

function firstRows(x: nb.Tensor, y: nb.Tensor, n: number | undefined): [nb.Tensor, Int32Array] {
  const k = n === undefined ? x.shape[0]! : Math.min(n, x.shape[0]!);
  const xs = k === x.shape[0] ? x : nb.slice(x, [0, 0, 0, 0], [k, ...x.shape.slice(1)]);
  return [xs, Int32Array.from(y.dataSync()).subarray(0, k)];
}

/** Pixel values 0..255 at any size -> float32 [n, 28, 28, 1] in [0, 1]. */
function toUnit28(x: nb.Tensor): nb.Tensor {
  const sized = x.shape[1] === 28 ? x : nb.data.image.resizeImage(x, [28, 28]);
  return nb.clipByValue(nb.div(sized, 255), 0, 1);
}

/**
 * Loads the autoencoder images. Naming 'fashion-mnist' when its files are missing throws the
 * loader's NotFoundError, which says where to put them.
 *
 * @example
 * ```ts
 * const data = loadAutoencoderData({limit: 2000, testLimit: 500});
 * data.trainImages.shape;   // [2000, 28, 28, 1], values in [0, 1]
 * ```
 */
export function loadAutoencoderData(options: AutoencoderDataOptions = {}): AutoencoderData {
  for (const [name, v] of [['limit', options.limit], ['testLimit', options.testLimit]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new nb.InvalidArgumentError(`autoencoder data: ${name} must be a positive integer, got ${String(v)}.`);
    }
  }
  const dataset = options.dataset ?? (options.dataPath || findIdxFolder('fashion-mnist') ? 'fashion-mnist' : 'digits');
  if (!(AUTOENCODER_DATASETS as readonly string[]).includes(dataset)) {
    throw new nb.InvalidArgumentError(`autoencoder data: unknown dataset '${String(dataset)}'; use one of ${AUTOENCODER_DATASETS.join(', ')}.`);
  }
  const data = loadData({ dataset, path: dataset === 'fashion-mnist' ? options.dataPath : undefined });
  const [trainX, trainLabels] = firstRows(data.train[0], data.train[1], options.limit);
  const [testX, testLabels] = firstRows(data.test[0], data.test[1], options.testLimit);
  return {
    dataset,
    path: data.path,
    classNames: data.classNames,
    trainImages: toUnit28(trainX),
    trainLabels,
    testImages: toUnit28(testX),
    testLabels,
  };
}
