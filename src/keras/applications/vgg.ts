// VGG16 and VGG19 (Simonyan & Zisserman 2014) with the layer names of keras.applications, so the
// weight files Keras downloads load by name.
import { InvalidArgumentError } from '../../core/errors.js';
import type { Functional } from '../engine/functional.js';
import { model } from '../engine/functional.js';
import { input } from '../engine/input-layer.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { conv2d } from '../layers/conv/conv2d.js';
import { dense } from '../layers/core/dense.js';
import { flatten } from '../layers/core/flatten.js';
import { globalAveragePooling2d, globalMaxPooling2d } from '../layers/pooling/global-pooling.js';
import { maxPooling2d } from '../layers/pooling/pooling.js';
import { isHdf5File } from '../saving/hdf5-file.js';
import { loadKerasH5Weights } from '../saving/hdf5-weights.js';
import { findWeightsFile, imagenetWeightsFileName, type WeightsArg } from './weights-files.js';

/** Arguments of `VGG16` / `VGG19`, as in `keras.applications`. */
export interface VGGArgs {
  /** Include the three dense layers (flatten, fc1, fc2, predictions). Default true. */
  includeTop?: boolean;
  /**
   * `'imagenet'` (default: the Keras weight file, found on disk, see `findWeightsFile`), a path to
   * a Keras HDF5 weight file, or `null` for random initialisation.
   */
  weights?: WeightsArg;
  /**
   * `[height, width, 3]` of one image. Default `[224, 224, 3]`; without the top, any size of at
   * least 32x32, or `null` dims for images of any size.
   */
  inputShape?: readonly (number | null)[];
  /** Without the top: `'avg'` or `'max'` global pooling after block5, or null (default). */
  pooling?: 'avg' | 'max' | null;
  /** Number of classes with the top (default 1000; must be 1000 with ImageNet weights). */
  classes?: number;
  /** Activation of `predictions` (default 'softmax'). */
  classifierActivation?: string | null;
  /** Model name (default 'vgg16' / 'vgg19'). */
  name?: string;
}

/** Conv layers per block: VGG16 [2, 2, 3, 3, 3], VGG19 [2, 2, 4, 4, 4]. */
const BLOCKS: Record<'vgg16' | 'vgg19', readonly number[]> = { vgg16: [2, 2, 3, 3, 3], vgg19: [2, 2, 4, 4, 4] };
const FILTERS = [64, 128, 256, 512, 512] as const;

function checkInputShape(where: string, shape: readonly (number | null)[] | undefined, includeTop: boolean): (number | null)[] {
  if (shape === undefined) return [224, 224, 3];
  if (!Array.isArray(shape) || shape.length !== 3 || shape[2] !== 3) {
    throw new InvalidArgumentError(`${where}: inputShape must be [height, width, 3] (RGB, channels last), got ${JSON.stringify(shape)}.`);
  }
  const [h, w] = shape as (number | null)[];
  for (const d of [h, w]) {
    if (d === null) {
      if (includeTop) throw new InvalidArgumentError(`${where}: with includeTop the input size must be fixed (the dense layers need it); got ${JSON.stringify(shape)}.`);
      continue;
    }
    if (!Number.isInteger(d) || d! < 32) {
      throw new InvalidArgumentError(`${where}: inputShape sides must be integers >= 32 (five 2x2 poolings), got ${JSON.stringify(shape)}.`);
    }
  }
  return [...shape];
}

/** Builds the architecture with random weights. */
export function buildVGG(kind: 'vgg16' | 'vgg19', args: VGGArgs = {}): Functional {
  const where = kind === 'vgg16' ? 'VGG16' : 'VGG19';
  const includeTop = args.includeTop ?? true;
  const classes = args.classes ?? 1000;
  if (!Number.isInteger(classes) || classes < 1) throw new InvalidArgumentError(`${where}: classes must be a positive integer, got ${String(classes)}.`);
  const pooling = args.pooling ?? null;
  if (pooling !== null && pooling !== 'avg' && pooling !== 'max') {
    throw new InvalidArgumentError(`${where}: pooling must be 'avg', 'max' or null, got ${JSON.stringify(pooling)}.`);
  }
  const inputs = input({ shape: checkInputShape(where, args.inputShape, includeTop), name: 'input_1' });
  let x: SymbolicTensor = inputs;
  BLOCKS[kind].forEach((convs, b) => {
    for (let c = 1; c <= convs; c++) {
      x = conv2d({ filters: FILTERS[b]!, kernelSize: 3, padding: 'same', activation: 'relu', name: `block${b + 1}_conv${c}` }).apply(x) as SymbolicTensor;
    }
    x = maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x) as SymbolicTensor;
  });
  if (includeTop) {
    x = flatten({ name: 'flatten' }).apply(x) as SymbolicTensor;
    x = dense({ units: 4096, activation: 'relu', name: 'fc1' }).apply(x) as SymbolicTensor;
    x = dense({ units: 4096, activation: 'relu', name: 'fc2' }).apply(x) as SymbolicTensor;
    x = dense({ units: classes, activation: args.classifierActivation === undefined ? 'softmax' : args.classifierActivation, name: 'predictions' }).apply(x) as SymbolicTensor;
  } else if (pooling === 'avg') {
    x = globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as SymbolicTensor;
  } else if (pooling === 'max') {
    x = globalMaxPooling2d({ name: 'global_max_pooling2d' }).apply(x) as SymbolicTensor;
  }
  return model({ inputs, outputs: x, name: args.name ?? kind });
}

async function create(kind: 'vgg16' | 'vgg19', args: VGGArgs): Promise<Functional> {
  const where = kind === 'vgg16' ? 'VGG16' : 'VGG19';
  const weights = args.weights === undefined ? 'imagenet' : args.weights;
  const includeTop = args.includeTop ?? true;
  if (weights === 'imagenet' && includeTop && (args.classes ?? 1000) !== 1000) {
    throw new InvalidArgumentError(`${where}: ImageNet weights with the top need classes: 1000, got ${String(args.classes)}; use includeTop: false or weights: null.`);
  }
  // Find the file before building 20M random weights, so a missing file fails fast.
  const file = weights === null ? null : findWeightsFile(kind, includeTop, weights, where);
  if (file !== null && !isHdf5File(file)) {
    throw new InvalidArgumentError(`${where}: '${file}' is not an HDF5 file (no HDF5 signature); weights must be a Keras .h5 weight file such as ${imagenetWeightsFileName(kind, includeTop)}.`);
  }
  const net = buildVGG(kind, args);
  if (file !== null) await loadKerasH5Weights(net, file);
  return net;
}

/**
 * VGG19 as `keras.applications.VGG19`: 16 conv layers in five blocks (`block1_conv1` ...
 * `block5_conv4`, `block1_pool` ... `block5_pool`), then `flatten`, `fc1`, `fc2`, `predictions`
 * with the top. Inputs are images preprocessed with `preprocessInput` (caffe mode: BGR, mean
 * subtracted, 0..255 scale). Async because loading an HDF5 weight file is.
 *
 * `weights: 'imagenet'` loads `vgg19_weights_tf_dim_ordering_tf_kernels[_notop].h5` (the file Keras
 * downloads) from `$NABLA_DATA_DIR`, `~/.nabla/models/` or `~/.keras/models/`; when it is not
 * there the NotFoundError says which file to place where. nabla never downloads it.
 *
 * @example
 * ```ts
 * const vgg = await nb.keras.applications.VGG19({includeTop: false, weights: 'imagenet', inputShape: [256, 256, 3]});
 * const features = vgg.predict(nb.keras.applications.preprocessInput(images));
 * const random = await nb.keras.applications.VGG19({weights: null, inputShape: [64, 64, 3], includeTop: false});
 * ```
 */
export function VGG19(args: VGGArgs = {}): Promise<Functional> {
  return create('vgg19', args);
}

/**
 * VGG16 as `keras.applications.VGG16` (13 conv layers: blocks of 2, 2, 3, 3, 3); see `VGG19`.
 *
 * @example
 * ```ts
 * const vgg = await nb.keras.applications.VGG16({weights: '/models/vgg16_weights_tf_dim_ordering_tf_kernels.h5'});
 * ```
 */
export function VGG16(args: VGGArgs = {}): Promise<Functional> {
  return create('vgg16', args);
}
