import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { readIdx } from './idx.js';

export interface MnistLikeData {
  /** [images uint8 values as int32 [n, 28, 28], labels int32 [n]] */
  train: [Tensor, Tensor];
  test: [Tensor, Tensor];
}

export interface LoadOptions {
  /** Folder holding the four IDX files (searched first). */
  path?: string;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Folders searched for dataset `name`, in order. */
export function searchPaths(name: string, options: LoadOptions = {}, extra: string[] = []): string[] {
  const dirs: string[] = [];
  if (options.path) dirs.push(options.path);
  const env = process.env['NABLA_DATA_DIR'];
  if (env) dirs.push(join(env, name));
  dirs.push(join(homedir(), '.nabla', 'datasets', name), ...extra);
  return dirs;
}

function findFile(dir: string, base: string): string | null {
  for (const candidate of [`${base}.gz`, base]) {
    const p = join(dir, candidate);
    if (existsSync(p)) return p;
  }
  return null;
}

function loadFrom(dir: string, name: string): MnistLikeData {
  const file = (base: string): string => {
    const p = findFile(dir, base);
    if (!p) throw new NotFoundError(`${name}.load: '${dir}' lacks ${base}(.gz).`);
    return p;
  };
  const pair = (images: string, labels: string): [Tensor, Tensor] => {
    const x = readIdx(file(images));
    const y = readIdx(file(labels));
    if (x.rank !== 3 || y.rank !== 1) {
      throw new InvalidArgumentError(`${name}.load: expected images of rank 3 and labels of rank 1 in '${dir}', got [${x.shape}] and [${y.shape}].`);
    }
    if (x.shape[0] !== y.shape[0]) {
      throw new InvalidArgumentError(`${name}.load: ${images} has ${x.shape[0]} images but ${labels} has ${y.shape[0]} labels in '${dir}'.`);
    }
    return [x, y];
  };
  return { train: pair(FILES.trainImages, FILES.trainLabels), test: pair(FILES.testImages, FILES.testLabels) };
}

function loader(name: string, extra: string[], howToGet: string) {
  return {
    /**
     * Loads the dataset from the first folder that holds its four IDX files: `options.path`,
     * `$NABLA_DATA_DIR/<name>/`, `~/.nabla/datasets/<name>/`, then system locations. Pixels are
     * int32 0..255 of shape [n, 28, 28]; labels int32 [n].
     */
    load(options: LoadOptions = {}): MnistLikeData {
      const dirs = searchPaths(name, options, extra);
      const dir = dirs.find((d) => findFile(d, FILES.trainImages) !== null);
      if (!dir) {
        throw new NotFoundError(
          `${name}.load: the dataset was not found. Searched: ${dirs.join(', ')}. ${howToGet} ` +
            `Put the four files (${Object.values(FILES).map((f) => `${f}.gz`).join(', ')}) in one of those folders or pass {path}.`,
        );
      }
      return loadFrom(dir, name);
    },
    searchPaths: (options: LoadOptions = {}) => searchPaths(name, options, extra),
  };
}

/**
 * MNIST handwritten digits.
 *
 * @example
 * ```ts
 * const {train: [x, y]} = nb.datasets.mnist.load();
 * ```
 */
export const mnist = loader('mnist', [], 'Download them from http://yann.lecun.com/exdb/mnist/ (or a mirror) on a machine with internet access.');

/**
 * Fashion-MNIST (Zalando), same format as MNIST. Also found where Debian's
 * `dataset-fashion-mnist` package installs it.
 *
 * @example
 * ```ts
 * const {train: [x, y], test} = nb.datasets.fashionMnist.load();
 * ```
 */
export const fashionMnist = loader(
  'fashion-mnist',
  ['/usr/share/datasets/fashion-mnist'],
  "On Debian/Ubuntu: 'apt-get install dataset-fashion-mnist'; otherwise download from https://github.com/zalandoresearch/fashion-mnist.",
);
