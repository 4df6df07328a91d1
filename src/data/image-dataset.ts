import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { nextStream, PhiloxStream } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { AUTOTUNE, Dataset } from './dataset.js';
import { ImageDecodeError } from './image/errors.js';
import { detectImageFormat, formatFromExtension } from './image/format.js';
import { decodeRaw } from './image/io.js';
import type { Channels } from './image/pixels.js';
import { resizeImage } from './image/resize.js';

/** Extensions `imageDatasetFromDirectory` reads (case-insensitive). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

export type ImageLabelMode = 'int' | 'categorical' | 'binary';
export type ImageColorMode = 'rgb' | 'grayscale' | 'rgba';

export interface ImageDatasetOptions {
  /** [height, width] every image is resized to (default [256, 256]). */
  imageSize?: readonly [number, number];
  /** Images per batch (default 32); null yields single images. */
  batchSize?: number | null;
  /**
   * Labels: 'int' (default; int32 class indices [b]), 'categorical' (float32 one-hot [b, classes]),
   * 'binary' (float32 [b, 1], exactly two classes), or null for images only.
   */
  labelMode?: ImageLabelMode | null;
  /** The class subfolders to use, in label order (default: every subfolder, sorted). */
  classNames?: readonly string[];
  /** 'rgb' (default, 3 channels), 'grayscale' (1) or 'rgba' (4). */
  colorMode?: ImageColorMode;
  /** Shuffle the files (default true): once before the split, and each pass through a buffer. */
  shuffle?: boolean;
  /** Seed of the shuffles and the split; needed with `validationSplit` when shuffling. */
  seed?: number;
  /** Fraction (0 < f < 1) of the files held out for validation: the last f after the seeded shuffle. */
  validationSplit?: number;
  /** With validationSplit: which part to return; 'both' returns [training, validation]. */
  subset?: 'training' | 'validation' | 'both';
  /** Resize interpolation (default 'bilinear'). */
  interpolation?: 'bilinear' | 'nearest';
  /** Descend into symlinked folders inside the class folders (default false). */
  followLinks?: boolean;
  /** Print "Found N files belonging to K classes." and the split counts, as Keras does (default true). */
  verbose?: boolean;
}

/** What the returned dataset carries besides its elements, like Keras's `class_names` and `file_paths`. */
export interface ImageDatasetInfo {
  /** The class names, label i being `classNames[i]`. */
  classNames: string[];
  /** The image files of this dataset (after the split), in the order before per-pass shuffling. */
  filePaths: string[];
}

/** A dataset of `[images, labels]` batches, with its class names and files. */
export type LabeledImageDataset = Dataset<[Tensor, Tensor]> & ImageDatasetInfo;
/** A dataset of image batches (`labelMode: null`), with its class names and files. */
export type UnlabeledImageDataset = Dataset<Tensor> & ImageDatasetInfo;

const OP = 'imageDatasetFromDirectory';
const SHOWN = 5;

interface Skipped {
  path: string;
  reason: string;
}

function warnSkipped(skipped: Skipped[], total: number): void {
  if (skipped.length === 0) return;
  const shown = skipped.slice(0, SHOWN).map((s) => `${s.path} (${s.reason})`);
  const more = skipped.length > SHOWN ? `, and ${skipped.length - SHOWN} more` : '';
  process.emitWarning(
    `${OP}: skipped ${skipped.length} of ${total} image files that could not be read as PNG or JPEG: ${shown.join('; ')}${more}. Remove or replace them to silence this warning.`,
    'ImageDatasetWarning',
  );
}

/** Why the first bytes of `path` are not a decodable image, or null when they look fine. */
function headerProblem(path: string): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = new Uint8Array(32);
    const got = readSync(fd, head, 0, head.length, 0);
    if (got === 0) return 'empty file';
    const format = detectImageFormat(head.subarray(0, got));
    if (format === 'png') return got >= 16 && String.fromCharCode(...head.subarray(12, 16)) === 'IHDR' ? null : 'corrupt PNG header';
    if (format === 'jpeg') return null;
    return format === null ? 'not an image' : `${format.toUpperCase()} data, not supported`;
  } catch (e) {
    return `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Image files under `dir` (recursively), sorted, with the number of files of other extensions. */
function listFiles(dir: string, followLinks: boolean, out: string[], other: { count: number }): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const subdirs: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(p);
        isDir = st.isDirectory() && followLinks;
        isFile = st.isFile();
      } catch {
        isFile = true; // a dangling link: listed, then skipped as unreadable
      }
    }
    if (isDir) subdirs.push(p);
    else if (isFile) {
      if (IMAGE_EXTENSIONS.includes(e.name.slice(e.name.lastIndexOf('.')).toLowerCase())) out.push(p);
      else if (formatFromExtension(e.name) !== null) other.count++;
    }
  }
  for (const d of subdirs) listFiles(d, followLinks, out, other);
}

/** A seeded Fisher-Yates permutation of 0..n-1 (the same for the same seed on every run). */
function permutation(n: number, seed: number): number[] {
  let h = (Math.trunc(seed) >>> 0) ^ 0x2545f491;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  const rng = new PhiloxStream((h ^ (h >>> 16)) >>> 0, 0x1b873593);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

interface Resolved {
  size: [number, number];
  batchSize: number | null;
  labelMode: ImageLabelMode | null;
  channels: Channels;
  shuffle: boolean;
  seed: number | undefined;
  split: number | undefined;
  subset: 'training' | 'validation' | 'both' | undefined;
  interpolation: 'bilinear' | 'nearest';
}

function resolveOptions(o: ImageDatasetOptions): Resolved {
  const bad = (msg: string): never => {
    throw new InvalidArgumentError(`${OP}: ${msg}`);
  };
  const size = o.imageSize ?? [256, 256];
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    bad(`imageSize must be [height, width] of positive integers, got ${JSON.stringify(size)}.`);
  }
  const batchSize = o.batchSize === undefined ? 32 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) bad(`batchSize must be a positive integer or null (no batching), got ${String(batchSize)}.`);
  const labelMode = o.labelMode === undefined ? 'int' : o.labelMode;
  if (labelMode !== null && !['int', 'categorical', 'binary'].includes(labelMode)) {
    bad(`labelMode must be 'int', 'categorical', 'binary' or null, got ${JSON.stringify(labelMode)}.`);
  }
  const colorMode = o.colorMode ?? 'rgb';
  const channels = ({ grayscale: 1, rgb: 3, rgba: 4 } as const)[colorMode];
  if (channels === undefined) bad(`colorMode must be 'rgb', 'grayscale' or 'rgba', got ${JSON.stringify(colorMode)}.`);
  const interpolation = o.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') bad(`interpolation must be 'bilinear' or 'nearest', got ${JSON.stringify(interpolation)}.`);
  const shuffle = o.shuffle ?? true;
  if (o.seed !== undefined && !Number.isFinite(o.seed)) bad(`seed must be a finite number, got ${String(o.seed)}.`);
  const split = o.validationSplit;
  const subset = o.subset;
  if (split !== undefined && !(typeof split === 'number' && split > 0 && split < 1)) bad(`validationSplit must be a number between 0 and 1 (exclusive), got ${String(split)}.`);
  if (subset !== undefined && !['training', 'validation', 'both'].includes(subset)) bad(`subset must be 'training', 'validation' or 'both', got ${JSON.stringify(subset)}.`);
  if ((split === undefined) !== (subset === undefined)) {
    bad(`validationSplit and subset go together: ${split === undefined ? `subset '${subset}' needs a validationSplit` : `validationSplit ${split} needs subset 'training', 'validation' or 'both'`}.`);
  }
  if (split !== undefined && shuffle && o.seed === undefined) {
    bad('with validationSplit and shuffle, give a seed so that the training and validation calls split the files the same way (no overlap).');
  }
  return { size: [size[0]!, size[1]!], batchSize, labelMode, channels: channels!, shuffle, seed: o.seed, split, subset, interpolation };
}

/** The class folders to read: `classNames` (checked) or every subfolder, sorted. */
function resolveClasses(dir: string, classNames: readonly string[] | undefined, labelMode: ImageLabelMode | null): string[] {
  const subdirs = readdirSync(dir)
    .filter((name) => {
      try {
        return statSync(join(dir, name)).isDirectory();
      } catch {
        return false;
      }
    })
    .sort();
  let classes: string[];
  if (classNames !== undefined) {
    if (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string') || new Set(classNames).size !== classNames.length) {
      throw new InvalidArgumentError(`${OP}: classNames must be an array of distinct folder names, got ${JSON.stringify(classNames)}.`);
    }
    const missing = classNames.filter((c) => !subdirs.includes(c));
    if (missing.length > 0) {
      throw new NotFoundError(`${OP}: classNames lists ${missing.map((m) => `'${m}'`).join(', ')}, which ${missing.length === 1 ? 'is not a subfolder' : 'are not subfolders'} of '${dir}' (found: ${subdirs.join(', ') || 'none'}).`);
    }
    classes = [...classNames];
  } else classes = subdirs;
  if (classes.length === 0) {
    throw new InvalidArgumentError(`${OP}: '${dir}' has no subfolders; expected one folder per class (${dir}/<class_name>/<image files>).`);
  }
  if (labelMode !== null && classes.length < 2) {
    throw new InvalidArgumentError(
      `${OP}: '${dir}' has a single class folder ('${classes[0]}'); a labeled dataset needs at least two (one subfolder per class). For unlabeled images pass labelMode: null.`,
    );
  }
  if (labelMode === 'binary' && classes.length !== 2) {
    throw new InvalidArgumentError(`${OP}: labelMode 'binary' needs exactly 2 classes, but there are ${classes.length} (${classes.join(', ')}); use 'int' or 'categorical', or pick two with classNames.`);
  }
  return classes;
}

function labelTensor(label: number, mode: ImageLabelMode, numClasses: number): Tensor {
  if (mode === 'int') return new Tensor([], 'int32', Int32Array.of(label));
  if (mode === 'binary') return new Tensor([1], 'float32', Float32Array.of(label));
  const v = new Float32Array(numClasses);
  v[label] = 1;
  return new Tensor([numClasses], 'float32', v);
}

/** Reads, decodes and resizes one image: float32 [h, w, c] in [0, 255]. */
async function loadImage(path: string, r: Resolved): Promise<Tensor> {
  const raw = decodeRaw(OP, await readFile(path), r.channels);
  const img = new Tensor([raw.height, raw.width, raw.channels], 'float32', Float32Array.from(raw.data));
  if (raw.height === r.size[0] && raw.width === r.size[1]) return img;
  return resizeImage(img, r.size, { method: r.interpolation });
}

function isSkippable(e: unknown): boolean {
  return e instanceof ImageDecodeError || (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string');
}

/** The lazy dataset over `paths` (decoded when iterated; files that fail to decode are skipped). */
function makeDataset(dir: string, paths: string[], labels: number[], classNames: string[], r: Resolved, shuffle: boolean, total: number): Dataset<unknown> & ImageDatasetInfo {
  const n = paths.length;
  const buffer = r.batchSize !== null ? r.batchSize * 8 : 1024;
  const order = shuffle && n > 0 ? Dataset.range(n).shuffle(buffer, { seed: r.seed }) : Dataset.range(n);
  const reported = new Set<string>();
  const mode = r.labelMode;
  let ds: Dataset<unknown> = new Dataset(async function* () {
    const fresh: Skipped[] = [];
    try {
      for await (const idx of order) {
        const i = idx.item();
        let image: Tensor;
        try {
          image = await loadImage(paths[i]!, r);
        } catch (e) {
          if (!isSkippable(e)) throw e;
          if (!reported.has(paths[i]!)) {
            reported.add(paths[i]!);
            fresh.push({ path: relative(dir, paths[i]!) || paths[i]!, reason: e instanceof ImageDecodeError ? 'corrupt or truncated image data' : `unreadable: ${(e as NodeJS.ErrnoException).code}` });
          }
          continue;
        }
        yield mode === null ? image : [image, labelTensor(labels[i]!, mode, classNames.length)];
      }
    } finally {
      warnSkipped(fresh, total);
    }
  }, n);
  if (r.batchSize !== null) ds = ds.batch(r.batchSize);
  ds = ds.prefetch(AUTOTUNE);
  return Object.assign(ds, { classNames: [...classNames], filePaths: [...paths] });
}

/**
 * A dataset of images read from class subfolders, as Keras's `image_dataset_from_directory`:
 *
 * ```
 * dir/
 *   cats/  a.jpg b.png ...     -> label 0
 *   dogs/  c.jpg ...           -> label 1   (classes sorted alphabetically)
 * ```
 *
 * It yields `[images, labels]` (images only with `labelMode: null`): images float32
 * [batch, height, width, channels] with values in [0, 255], resized to `imageSize`. Files are
 * listed now (PNG and JPEG: .png, .jpg, .jpeg, searched recursively in each class folder) and
 * decoded lazily while iterating. With a seed the file list is shuffled once and, with
 * `validationSplit`, its last fraction is the validation subset (the same seed gives the same,
 * disjoint split in separate calls). Files that are not readable PNG/JPEG images are skipped
 * with one warning naming them (caught from their header now; a file broken further in is
 * skipped when reached, and `cardinality()` still counts it).
 *
 * @example
 * ```ts
 * const opts = {imageSize: [180, 180], batchSize: 32, validationSplit: 0.2, seed: 123} as const;
 * const train = nb.data.imageDatasetFromDirectory('flower_photos', {...opts, subset: 'training'});
 * const val = nb.data.imageDatasetFromDirectory('flower_photos', {...opts, subset: 'validation'});
 * train.classNames;   // ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']
 * await model.fit(train, {epochs: 10, validationData: val});
 * ```
 */
export function imageDatasetFromDirectory(dir: string, options: ImageDatasetOptions & { labelMode: null; subset: 'both' }): [UnlabeledImageDataset, UnlabeledImageDataset];
export function imageDatasetFromDirectory(dir: string, options: ImageDatasetOptions & { labelMode: null }): UnlabeledImageDataset;
export function imageDatasetFromDirectory(dir: string, options: ImageDatasetOptions & { subset: 'both' }): [LabeledImageDataset, LabeledImageDataset];
export function imageDatasetFromDirectory(dir: string, options?: ImageDatasetOptions): LabeledImageDataset;
export function imageDatasetFromDirectory(
  dir: string,
  options: ImageDatasetOptions = {},
): LabeledImageDataset | UnlabeledImageDataset | [LabeledImageDataset | UnlabeledImageDataset, LabeledImageDataset | UnlabeledImageDataset] {
  if (typeof dir !== 'string' || dir === '') throw new InvalidArgumentError(`${OP}: expected a folder path, got ${JSON.stringify(dir)}.`);
  if (!existsSync(dir)) throw new NotFoundError(`${OP}: no folder at '${dir}'.`);
  if (!statSync(dir).isDirectory()) throw new InvalidArgumentError(`${OP}: '${dir}' is a file; pass the folder holding one subfolder per class.`);
  const r = resolveOptions(options);
  const classNames = resolveClasses(dir, options.classNames, r.labelMode);

  // List every class folder, then drop files whose header is not a PNG/JPEG one.
  let paths: string[] = [];
  let labels: number[] = [];
  const other = { count: 0 };
  classNames.forEach((name, label) => {
    const files: string[] = [];
    listFiles(join(dir, name), options.followLinks ?? false, files, other);
    paths.push(...files);
    labels.push(...files.map(() => label));
  });
  const listed = paths.length;
  if (listed === 0) {
    const others = other.count > 0 ? ` (${other.count} files of other image formats were ignored; convert them to PNG or JPEG)` : '';
    throw new InvalidArgumentError(`${OP}: no image files (${IMAGE_EXTENSIONS.join(', ')}) in the class folders ${classNames.map((c) => `'${c}'`).join(', ')} of '${dir}'${others}.`);
  }
  const skipped: Skipped[] = [];
  const keep: number[] = [];
  paths.forEach((p, i) => {
    const problem = headerProblem(p);
    if (problem === null) keep.push(i);
    else skipped.push({ path: relative(dir, p) || p, reason: problem });
  });
  warnSkipped(skipped, listed);
  paths = keep.map((i) => paths[i]!);
  labels = keep.map((i) => labels[i]!);
  if (paths.length === 0) throw new InvalidArgumentError(`${OP}: none of the ${listed} image files in '${dir}' is a readable PNG or JPEG image.`);
  const verbose = options.verbose ?? true;
  if (verbose) console.log(`Found ${paths.length} files belonging to ${classNames.length} classes.`);

  // The seeded shuffle of the list, then the split: the last fraction is validation.
  const seed = r.seed ?? (r.shuffle ? nextStream().nextUint32() : 0);
  if (r.shuffle) {
    const perm = permutation(paths.length, seed);
    paths = perm.map((i) => paths[i]!);
    labels = perm.map((i) => labels[i]!);
  }
  const resolved: Resolved = { ...r, seed };
  const make = (from: number, to: number, shuffle: boolean): Dataset<unknown> & ImageDatasetInfo =>
    makeDataset(dir, paths.slice(from, to), labels.slice(from, to), classNames, resolved, shuffle, listed);
  if (r.split === undefined) return make(0, paths.length, r.shuffle) as LabeledImageDataset;
  const nVal = Math.floor(r.split * paths.length);
  const nTrain = paths.length - nVal;
  const check = (count: number, subset: string): void => {
    if (count === 0) {
      throw new InvalidArgumentError(`${OP}: validationSplit ${r.split} of ${paths.length} files leaves the ${subset} subset empty; change validationSplit or add images.`);
    }
  };
  if (r.subset === 'training' || r.subset === 'both') {
    check(nTrain, 'training');
    if (verbose) console.log(`Using ${nTrain} files for training.`);
  }
  if (r.subset === 'validation' || r.subset === 'both') {
    check(nVal, 'validation');
    if (verbose) console.log(`Using ${nVal} files for validation.`);
  }
  if (r.subset === 'training') return make(0, nTrain, r.shuffle) as LabeledImageDataset;
  if (r.subset === 'validation') return make(nTrain, paths.length, r.shuffle) as LabeledImageDataset;
  return [make(0, nTrain, r.shuffle) as LabeledImageDataset, make(nTrain, paths.length, false) as LabeledImageDataset];
}
