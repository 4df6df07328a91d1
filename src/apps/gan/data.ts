// Training images for the GAN apps: Fashion-MNIST, MNIST, the shipped 8x8 digits (upscaled to
// 28x28) or a folder of PNG/JPEG files, as float32 [n, 28, 28, 1] in [-1, 1] (the tanh range).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import * as nb from '../../index.js';
import { findIdxFolder, loadData, type DatasetName } from '../mnist/data.js';

/** Named datasets of the GAN commands; anything else given as a dataset is read as a folder. */
export const GAN_DATASETS = ['fashion-mnist', 'mnist', 'digits'] as const;

export interface GanData {
  /** 'fashion-mnist', 'mnist', 'digits' or 'folder'. */
  dataset: string;
  /** The folder or file the images came from. */
  path: string;
  /** float32 [n, size, size, channels] in [-1, 1]. */
  images: nb.Tensor;
  /** Class labels when the dataset has them (for the classifier-based score), else null. */
  labels: Int32Array | null;
  classNames: string[] | null;
  /** Held-out labelled images (0..255, [n, 28, 28, 1]) for training/evaluating the score's classifier, else null. */
  test: [nb.Tensor, nb.Tensor] | null;
}

export interface GanDataOptions {
  /** 'fashion-mnist', 'mnist', 'digits' or a folder of images. Default: fashion-mnist if found, else digits. */
  dataset?: string;
  /** Keep the first `limit` training images. */
  limit?: number;
  /** Keep only these class indices (named datasets only). */
  classes?: readonly number[];
  /** Image side (default 28). */
  size?: number;
  /** Channels of folder images (default 1). */
  channels?: 1 | 3;
}

/** Pixel values 0..255 -> [-1, 1]. */
export const toTanhRange = (x: nb.Tensor): nb.Tensor => nb.sub(nb.div(x, 127.5), 1);
/** [-1, 1] -> pixel values 0..255, clipped. */
export const toPixels = (x: nb.Tensor): nb.Tensor => nb.clipByValue(nb.mul(nb.add(x, 1), 127.5), 0, 255);

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);

/** Every PNG/JPEG file under `dir`, sorted, subfolders included. */
export function listImageFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listImageFiles(p));
    else if (IMAGE_EXT.has(extname(name).toLowerCase())) out.push(p);
  }
  return out;
}

/**
 * Reads every image under `dir` as float32 [n, size, size, channels] in [-1, 1] (resized
 * bilinearly; grayscale unless `channels` is 3). Throws a NotFoundError naming the folder when it
 * is missing or holds no images.
 */
export function readImageFolder(dir: string, options: { size?: number; channels?: 1 | 3; limit?: number; op?: string } = {}): nb.Tensor {
  const op = options.op ?? 'gan data';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new nb.NotFoundError(`${op}: '${dir}' is not a folder; pass a folder of PNG/JPEG images or one of ${GAN_DATASETS.join(', ')}.`);
  }
  let files = listImageFiles(dir);
  if (files.length === 0) throw new nb.NotFoundError(`${op}: '${dir}' holds no .png, .jpg or .jpeg files (subfolders included).`);
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const size = options.size ?? 28;
  const tiles = files.map((f) => {
    const img = nb.data.image.readImage(f, { channels: options.channels ?? 1 });
    return nb.data.image.resizeImage(nb.cast(img, 'float32'), [size, size]);
  });
  return toTanhRange(nb.stack(tiles));
}

function keepClasses(x: nb.Tensor, y: nb.Tensor, classes: readonly number[] | undefined): [nb.Tensor, nb.Tensor] {
  if (!classes) return [x, y];
  const labels = y.dataSync();
  const keep: number[] = [];
  for (let i = 0; i < labels.length; i++) if (classes.includes(labels[i]!)) keep.push(i);
  const idx = nb.tensor(keep, [keep.length], 'int32');
  return [nb.gather(x, idx), nb.gather(y, idx)];
}

function to28(x: nb.Tensor, size: number): nb.Tensor {
  return x.shape[1] === size ? x : nb.data.image.resizeImage(x, [size, size]);
}

/** The default dataset: Fashion-MNIST when its files are found, else the shipped digits. */
export function defaultGanDataset(): 'fashion-mnist' | 'digits' {
  return findIdxFolder('fashion-mnist') ? 'fashion-mnist' : 'digits';
}

/**
 * Loads the GAN training images. Named datasets keep their labels (and test split) so the
 * classifier-based score can be computed; folders have none.
 *
 * @example
 * ```ts
 * const data = loadGanData({dataset: 'digits'});   // 1,437 digits upscaled to 28x28, in [-1, 1]
 * ```
 */
export function loadGanData(options: GanDataOptions = {}): GanData {
  const dataset = options.dataset ?? defaultGanDataset();
  const size = options.size ?? 28;
  if (!(GAN_DATASETS as readonly string[]).includes(dataset)) {
    const images = readImageFolder(dataset, { size, channels: options.channels, limit: options.limit });
    return { dataset: 'folder', path: dataset, images, labels: null, classNames: null, test: null };
  }
  const data = loadData({ dataset: dataset as DatasetName });
  let [x, y] = keepClasses(data.train[0], data.train[1], options.classes);
  if (options.limit !== undefined && options.limit < x.shape[0]!) {
    x = nb.slice(x, [0, 0, 0, 0], [options.limit, ...x.shape.slice(1)]);
    y = nb.slice(y, [0], [options.limit]);
  }
  const [tx, ty] = keepClasses(data.test[0], data.test[1], options.classes);
  return {
    dataset,
    path: data.path,
    images: toTanhRange(to28(x, size)),
    labels: y.dataSync() as Int32Array,
    classNames: data.classNames,
    test: [to28(tx, size), ty],
  };
}
