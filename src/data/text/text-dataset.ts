import { InvalidArgumentError } from '../../core/errors.js';
import { nextStream, PhiloxStream } from '../../core/random.js';
import { Tensor } from '../../core/tensor.js';
import { Dataset } from '../dataset.js';
import { readClassTexts, type TextLayout } from './read-entries.js';

const OP = 'textDatasetFromDirectory';

export interface TextDatasetOptions {
  /**
   * 'folders': each subfolder is a class and its .txt files (searched recursively) hold its texts;
   * 'files': each .txt file is a class (named after the file). Default 'auto': 'folders' when
   * `dir` has subfolders, else 'files'.
   */
  layout?: TextLayout | 'auto';
  /**
   * Split each file into entries on the lines that hold only this string (e.g. '%' for fortune
   * files); entries are trimmed and empty ones dropped. Default null: in 'folders' layout a file
   * is one text, in 'files' layout each non-empty line is one text.
   */
  entrySeparator?: string | null;
  /** The classes to use, in label order (default: all, sorted by name). */
  classNames?: readonly string[];
  /** Texts per batch (default 32); null yields single texts. */
  batchSize?: number | null;
  /** Shuffle (default true): once before the split, and again at each pass over the dataset. */
  shuffle?: boolean;
  /** Seed of the shuffles and the split; needed with `validationSplit` when shuffling. */
  seed?: number;
  /** Fraction (0 < f < 1) of the texts held out for validation: the last f after the seeded shuffle. */
  validationSplit?: number;
  /** With validationSplit: which part to return; 'both' returns [training, validation]. */
  subset?: 'training' | 'validation' | 'both';
  /** Print "Found N texts belonging to K classes." and the split counts, as Keras does (default true). */
  verbose?: boolean;
}

/** What a text dataset carries besides its elements: the texts and labels themselves, in memory. */
export interface TextDatasetInfo {
  /** The class names, label i being `classNames[i]`. */
  classNames: string[];
  /** The texts of this dataset (after the split), in the order before per-pass shuffling. */
  texts: string[];
  /** labels[i] is the class index of texts[i]. */
  labels: Int32Array;
  /** The layout that was read. */
  layout: TextLayout;
}

/**
 * A dataset of `[texts, labels]` elements: a `string[]` batch with its int32 labels `[b]`, or
 * (batchSize null) one `string` with a scalar int32 label. Strings cannot go into tensors, so
 * the batches are made here (do not call `.batch()` on it); vectorize with a TextVectorization
 * layer: `ds.map(([x, y]) => [tv.apply(x), y])` gives tensors for `fit`.
 */
export type TextDataset<X extends string | string[] = string[]> = Dataset<[X, Tensor]> & TextDatasetInfo;

/** A seeded Fisher-Yates permutation of 0..n-1. */
function permutation(n: number, rng: PhiloxStream): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const streamFor = (seed: number, pass: number): PhiloxStream => new PhiloxStream((Math.trunc(seed) >>> 0) ^ 0x7e47da7a, (pass * 0x9e3779b1) >>> 0);

function checkOptions(o: TextDatasetOptions): void {
  const bad = (msg: string): never => {
    throw new InvalidArgumentError(`${OP}: ${msg}`);
  };
  if (o.layout !== undefined && !['folders', 'files', 'auto'].includes(o.layout)) bad(`layout must be 'folders', 'files' or 'auto', got ${JSON.stringify(o.layout)}.`);
  if (o.batchSize !== undefined && o.batchSize !== null && !(Number.isInteger(o.batchSize) && o.batchSize > 0)) bad(`batchSize must be a positive integer or null, got ${String(o.batchSize)}.`);
  if (o.entrySeparator !== undefined && o.entrySeparator !== null && (typeof o.entrySeparator !== 'string' || o.entrySeparator.trim() === '')) {
    bad(`entrySeparator must be a non-blank string (e.g. '%') or null, got ${JSON.stringify(o.entrySeparator)}.`);
  }
  if (o.seed !== undefined && !Number.isFinite(o.seed)) bad(`seed must be a finite number, got ${String(o.seed)}.`);
  const split = o.validationSplit;
  if (split !== undefined && !(typeof split === 'number' && split > 0 && split < 1)) bad(`validationSplit must be a number between 0 and 1 (exclusive), got ${String(split)}.`);
  if (o.subset !== undefined && !['training', 'validation', 'both'].includes(o.subset)) bad(`subset must be 'training', 'validation' or 'both', got ${JSON.stringify(o.subset)}.`);
  if ((split === undefined) !== (o.subset === undefined)) {
    bad(`validationSplit and subset go together: ${split === undefined ? `subset '${o.subset}' needs a validationSplit` : `validationSplit ${split} needs subset 'training', 'validation' or 'both'`}.`);
  }
  if (split !== undefined && (o.shuffle ?? true) && o.seed === undefined) {
    bad('with validationSplit and shuffle, give a seed so that the training and validation calls split the texts the same way (no overlap).');
  }
}

function makeDataset(texts: string[], labels: Int32Array, info: Omit<TextDatasetInfo, 'texts' | 'labels'>, batchSize: number | null, shuffle: boolean, seed: number): TextDataset<string | string[]> {
  const n = texts.length;
  let pass = 0;
  const ds = new Dataset<[string | string[], Tensor]>(async function* (): AsyncGenerator<[string | string[], Tensor]> {
    const order = shuffle ? permutation(n, streamFor(seed, ++pass)) : Array.from({ length: n }, (_, i) => i);
    if (batchSize === null) {
      for (const i of order) yield [texts[i]!, new Tensor([], 'int32', Int32Array.of(labels[i]!))];
      return;
    }
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      yield [idx.map((i) => texts[i]!), new Tensor([idx.length], 'int32', Int32Array.from(idx, (i) => labels[i]!))];
    }
  }, batchSize === null ? n : Math.ceil(n / batchSize));
  return Object.assign(ds, { ...info, classNames: [...info.classNames], texts, labels });
}

/**
 * A dataset of labelled texts read from a folder, as Keras's `text_dataset_from_directory`, also
 * reading one-file-per-class corpora such as the BSD fortune files:
 *
 * ```
 * dir/                      dir/
 *   sports/a.txt b.txt        computers.txt   (entries separated by '%' lines)
 *   politics/c.txt            food.txt
 * ```
 *
 * All texts are read up front (they stay in memory, exposed as `texts` / `labels` / `classNames`
 * on the result), shuffled once with the seed before the split (the last `validationSplit`
 * fraction is validation), and reshuffled at each pass when `shuffle` is on. Elements are
 * `[string[], int32 labels]` batches (see {@link TextDataset}); a missing folder, a class without
 * texts or an empty file raise a {@link TextDatasetError} naming the path.
 *
 * @example
 * ```ts
 * const [train, val] = nb.data.textDatasetFromDirectory('fortunes/', {
 *   entrySeparator: '%', classNames: ['food', 'love'], validationSplit: 0.2, subset: 'both', seed: 1,
 * });
 * const tv = nb.keras.layers.textVectorization({maxTokens: 5000, outputSequenceLength: 64});
 * tv.adapt(train.texts);
 * await model.fit(train.map(([x, y]) => [tv.apply(x), y]), {epochs: 3});
 * ```
 */
export function textDatasetFromDirectory(dir: string, options: TextDatasetOptions & { subset: 'both'; batchSize: null }): [TextDataset<string>, TextDataset<string>];
export function textDatasetFromDirectory(dir: string, options: TextDatasetOptions & { subset: 'both' }): [TextDataset, TextDataset];
export function textDatasetFromDirectory(dir: string, options: TextDatasetOptions & { batchSize: null }): TextDataset<string>;
export function textDatasetFromDirectory(dir: string, options?: TextDatasetOptions): TextDataset;
export function textDatasetFromDirectory(dir: string, options: TextDatasetOptions = {}): TextDataset<string | string[]> | TextDataset<string | string[]>[] {
  checkOptions(options);
  const read = readClassTexts(dir, options.layout ?? 'auto', options.entrySeparator ?? null, options.classNames);
  const all: string[] = [];
  const allLabels: number[] = [];
  read.texts.forEach((texts, c) => {
    all.push(...texts);
    for (let i = 0; i < texts.length; i++) allLabels.push(c);
  });
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? (shuffle ? nextStream().nextUint32() : 0);
  const order = shuffle ? permutation(all.length, streamFor(seed, 0)) : all.map((_, i) => i);
  const verbose = options.verbose ?? true;
  if (verbose) console.log(`Found ${all.length} texts belonging to ${read.classNames.length} classes.`);
  const nVal = options.validationSplit === undefined ? 0 : Math.round(all.length * options.validationSplit);
  const parts = { training: order.slice(0, all.length - nVal), validation: order.slice(all.length - nVal) };
  const info = { classNames: read.classNames, layout: read.layout };
  const batchSize = options.batchSize === undefined ? 32 : options.batchSize;
  const make = (subset: 'training' | 'validation', idx: number[]): TextDataset<string | string[]> => {
    if (idx.length === 0) {
      throw new InvalidArgumentError(`${OP}: validationSplit ${options.validationSplit} of ${all.length} texts leaves the ${subset} subset empty; change validationSplit or add texts.`);
    }
    if (verbose && options.subset !== undefined) console.log(`Using ${idx.length} texts for ${subset}.`);
    return makeDataset(idx.map((i) => all[i]!), Int32Array.from(idx, (i) => allLabels[i]!), info, batchSize, shuffle, seed + (subset === 'validation' ? 1 : 0));
  };
  if (options.subset === 'both') return [make('training', parts.training), make('validation', parts.validation)];
  if (options.subset === 'validation') return make('validation', parts.validation);
  return make('training', parts.training);
}
