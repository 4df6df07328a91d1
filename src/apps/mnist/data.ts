import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as nb from '../../index.js';

/** The datasets `nabla train mnist` trains on. */
export const DATASETS = ['mnist', 'fashion-mnist', 'digits'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const CLASS_NAMES: Record<DatasetName, string[]> = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'fashion-mnist': ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

/** Train and test images as float32 [n, h, w, 1] pixel intensities 0..255, labels int32 [n]. */
export interface ImageData {
  dataset: DatasetName;
  /** The folder or file the data came from. */
  path: string;
  /** How it was found: 'given', 'auto' (first found of mnist, fashion-mnist, digits) or 'named'. */
  how: string;
  classNames: string[];
  train: [nb.Tensor, nb.Tensor];
  test: [nb.Tensor, nb.Tensor];
}

export interface LoadDataOptions {
  /** Which dataset; default: mnist if found, else fashion-mnist if found, else the shipped digits. */
  dataset?: DatasetName;
  /** Folder holding the four IDX files (mnist, fashion-mnist) or the digits CSV file. */
  path?: string;
  /** Keep only the first `limit` training samples. */
  limit?: number;
}

const loaders = { mnist: nb.datasets.mnist, 'fashion-mnist': nb.datasets.fashionMnist } as const;

/** Seed of the digits train/test split: fixed, so the test set is the same whatever `--seed` says. */
export const DIGITS_SPLIT_SEED = 20240501;
/** Fraction of the digits rows kept for training (the rest is the test set). */
export const DIGITS_TRAIN_FRACTION = 0.8;

const hasIdx = (dir: string): boolean => ['train-images-idx3-ubyte.gz', 'train-images-idx3-ubyte'].some((f) => existsSync(join(dir, f)));

/** The first folder holding the IDX files of `name`, in the loaders' search order (or `path` alone when given). */
export function findIdxFolder(name: 'mnist' | 'fashion-mnist', path?: string): string | null {
  if (path) return hasIdx(path) ? path : null;
  return loaders[name].searchPaths().find(hasIdx) ?? null;
}

/** The copy of the UCI digits that ships with the package (data/digits.csv.gz at the package root). */
export function shippedDigitsPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'data', 'digits.csv.gz');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new nb.NotFoundError('digits: data/digits.csv.gz was not found in the nabla package; reinstall nabla.');
}

/**
 * Reads the UCI optical digits CSV (gzipped or plain; rows of 64 pixel values 0..16 then the
 * label) as float32 [n, 8, 8, 1] intensities scaled to 0..255, and int32 labels [n].
 */
export function readDigits(path: string): [nb.Tensor, nb.Tensor] {
  if (!existsSync(path)) throw new nb.NotFoundError(`digits: no file at ${path}.`);
  let buf = readFileSync(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const lines = buf.toString('utf8').trim().split(/\r?\n/);
  const n = lines.length;
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  lines.forEach((line, r) => {
    const cells = line.split(',').map(Number);
    const label = cells[64]!;
    if (cells.length !== 65 || cells.some((c) => !Number.isFinite(c) || c < 0 || c > 16) || !Number.isInteger(label) || label > 9) {
      throw new nb.InvalidArgumentError(`digits: line ${r + 1} of ${path} must hold 64 pixel values 0..16 and a label 0..9: '${line.slice(0, 80)}'.`);
    }
    for (let i = 0; i < 64; i++) x[r * 64 + i] = (cells[i]! * 255) / 16;
    y[r] = label;
  });
  return [nb.tensor(x, [n, 8, 8, 1]), nb.tensor(y, [n], 'int32')];
}

/**
 * A permutation of 0..n-1 that depends on `seed` alone (Fisher-Yates over a mulberry32 stream),
 * not on nb.setSeed, so the digits test set is the same in every run and process.
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The shipped digits, split 80/20 into train and test with a fixed seed. */
function loadDigits(path: string): Pick<ImageData, 'train' | 'test'> {
  const [x, y] = readDigits(path);
  const n = x.shape[0]!;
  const order = nb.tensor(seededPermutation(n, DIGITS_SPLIT_SEED), [n], 'int32');
  const xs = nb.gather(x, order);
  const ys = nb.gather(y, order);
  const cut = Math.round(n * DIGITS_TRAIN_FRACTION);
  return {
    train: [nb.slice(xs, [0, 0, 0, 0], [cut, 8, 8, 1]), nb.slice(ys, [0], [cut])],
    test: [nb.slice(xs, [cut, 0, 0, 0], [n - cut, 8, 8, 1]), nb.slice(ys, [cut], [n - cut])],
  };
}

/** IDX uint8 images [n, 28, 28] as float32 [n, 28, 28, 1]. */
function asImages([x, y]: [nb.Tensor, nb.Tensor]): [nb.Tensor, nb.Tensor] {
  return [nb.expandDims(nb.cast(x, 'float32'), 3), y];
}

function limitRows([x, y]: [nb.Tensor, nb.Tensor], limit: number | undefined): [nb.Tensor, nb.Tensor] {
  const n = x.shape[0]!;
  if (limit === undefined || limit >= n) return [x, y];
  const begin = x.shape.map(() => 0);
  return [nb.slice(x, begin, [limit, ...x.shape.slice(1)]), nb.slice(y, [0], [limit])];
}

/**
 * Loads the named dataset, or with none named the first found of MNIST, Fashion-MNIST and the
 * shipped digits. The result says which dataset it is and where it came from.
 */
export function loadData(options: LoadDataOptions = {}): ImageData {
  const { limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new nb.InvalidArgumentError(`mnist: limit must be a positive integer, got ${String(limit)}.`);
  }
  let dataset = options.dataset;
  let how = 'named';
  if (dataset === undefined) {
    if (options.path) throw new nb.InvalidArgumentError('mnist: a data path needs the dataset named too.');
    dataset = findIdxFolder('mnist') ? 'mnist' : findIdxFolder('fashion-mnist') ? 'fashion-mnist' : 'digits';
    how = 'auto';
  }
  if (!(DATASETS as readonly string[]).includes(dataset)) {
    throw new nb.InvalidArgumentError(`mnist: unknown dataset '${dataset}'; available: ${DATASETS.join(', ')}.`);
  }
  const classNames = CLASS_NAMES[dataset];
  if (dataset === 'digits') {
    const path = options.path ?? shippedDigitsPath();
    const { train, test } = loadDigits(path);
    return { dataset, path, how: options.path ? 'given' : how, classNames, train: limitRows(train, limit), test };
  }
  const dir = findIdxFolder(dataset, options.path);
  if (!dir && options.path) throw new nb.NotFoundError(`${dataset}: '${options.path}' does not hold train-images-idx3-ubyte(.gz) and the other IDX files.`);
  // With no folder found, load() throws a NotFoundError that names the folders searched and how to get the files.
  const data = loaders[dataset].load(dir ? { path: dir } : {});
  return {
    dataset,
    path: dir!,
    how: options.path ? 'given' : how,
    classNames,
    train: limitRows(asImages(data.train), limit),
    test: asImages(data.test),
  };
}
