import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import * as nb from '../../index.js';

export const COMMAND = 'nabla train cats-vs-dogs';

export interface FolderOptions {
  /** Folder with exactly two class subfolders, e.g. DIR/cat/*.jpg and DIR/dog/*.jpg. */
  dir: string;
  /** Side of the square images the files are resized to. */
  imageSize: number;
  batchSize: number;
  /** Seed of the file shuffle, the split and the per-epoch shuffles. */
  seed: number;
  /** Fraction of the files held out for validation. */
  validationSplit: number;
  /** Print Keras's "Found N files belonging to 2 classes." lines (default true). */
  verbose?: boolean;
}

export interface FolderData {
  /** The folder's name, e.g. 'PetImages'. */
  name: string;
  /** Its absolute path. */
  path: string;
  /** The two class folders, sorted: label 0 and label 1 (the sigmoid's "positive" class). */
  classNames: [string, string];
  /** Batches of [images float32 [b, s, s, 3] 0..255, labels float32 [b, 1]], reshuffled every pass. */
  train: nb.data.LabeledImageDataset;
  /** The same for the held-out files, in a fixed order. */
  validation: nb.data.LabeledImageDataset;
}

/**
 * The class subfolders of `dir` (sorted, hidden ones such as `.ipynb_checkpoints` left out),
 * checked to be exactly two: the binary classifier needs one "negative" and one "positive" class.
 *
 * @example
 * ```ts
 * binaryClassFolders('data/PetImages');   // ['Cat', 'Dog']
 * ```
 */
export function binaryClassFolders(dir: string): [string, string] {
  if (!existsSync(dir)) {
    throw new nb.NotFoundError(`${COMMAND}: no folder at '${dir}'. Pass --data DIR, a folder with two class subfolders such as DIR/cat/*.jpg and DIR/dog/*.jpg.`);
  }
  if (!statSync(dir).isDirectory()) {
    throw new nb.InvalidArgumentError(`${COMMAND}: '${dir}' is a file; --data takes the folder holding the two class subfolders (DIR/cat/*.jpg, DIR/dog/*.jpg).`);
  }
  const isFolder = (name: string): boolean => {
    try {
      return statSync(join(dir, name)).isDirectory();
    } catch {
      return false; // a dangling link
    }
  };
  const classes = readdirSync(dir)
    .filter((name) => !name.startsWith('.') && isFolder(name))
    .sort();
  if (classes.length !== 2) {
    const found = classes.length === 0 ? 'none' : classes.map((c) => `'${c}'`).join(', ');
    throw new nb.InvalidArgumentError(
      `${COMMAND}: '${dir}' has ${classes.length} class folder${classes.length === 1 ? '' : 's'} (${found}); expected exactly 2 for a binary classifier, e.g. ${join(dir, 'cat')}/*.jpg and ${join(dir, 'dog')}/*.jpg. Move the images of two classes into two subfolders, or point --data at a folder that holds just those two.`,
    );
  }
  return classes as [string, string];
}

/**
 * The image folder as two datasets, Keras's `image_dataset_from_directory(..., subset='both')`:
 * RGB images resized to `imageSize` squared, binary labels, a seeded split of the files.
 * Unreadable files are skipped with one warning naming them (the Kaggle cats and dogs set has a
 * few).
 *
 * @example
 * ```ts
 * const data = loadImageFolder({dir: 'PetImages', imageSize: 64, batchSize: 32, seed: 42, validationSplit: 0.2});
 * await model.fit(data.train, {epochs: 10, validationData: data.validation});
 * ```
 */
export function loadImageFolder(options: FolderOptions): FolderData {
  const classNames = binaryClassFolders(options.dir);
  const path = resolve(options.dir);
  const [train, validation] = nb.data.imageDatasetFromDirectory(path, {
    imageSize: [options.imageSize, options.imageSize],
    batchSize: options.batchSize,
    labelMode: 'binary',
    classNames,
    colorMode: 'rgb',
    seed: options.seed,
    validationSplit: options.validationSplit,
    subset: 'both',
    verbose: options.verbose ?? true,
  });
  return { name: basename(path), path, classNames, train, validation };
}
