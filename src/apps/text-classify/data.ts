// Where the fortune texts are found and how they are split for the text-classify app.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../index.js';

/** Three categories whose fortunes are told apart well (measured: food, love, sports; baseline ~0.37). */
export const DEFAULT_CLASSES: readonly string[] = ['food', 'love', 'sports'];
/** Fraction of the entries held out as the test set (seeded split). */
export const TEST_SPLIT = 0.2;

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/**
 * Folders searched for the fortune files (`<category>.txt`, entries separated by '%' lines), in
 * order: `$NABLA_DATA_DIR/fortunes`, `~/.nabla/datasets/fortunes`, then `../shared/data/text/fortunes`
 * next to the nabla checkout.
 */
export function fortuneSearchPaths(): string[] {
  const dirs: string[] = [];
  const env = process.env['NABLA_DATA_DIR'];
  if (env) dirs.push(join(env, 'fortunes'));
  dirs.push(join(homedir(), '.nabla', 'datasets', 'fortunes'), join(repoRoot, '..', 'shared', 'data', 'text', 'fortunes'));
  return dirs;
}

/** The fortune folder: `given` when set (it must exist), else the first of fortuneSearchPaths() that exists. */
export function findFortunes(given?: string): string {
  if (given !== undefined) {
    if (!existsSync(given)) throw new nb.NotFoundError(`text-classify: data folder '${given}' not found; pass --data with a folder of <category>.txt fortune files.`);
    return given;
  }
  const found = fortuneSearchPaths().find((d) => existsSync(d));
  if (!found) {
    throw new nb.NotFoundError(
      `text-classify: no fortune texts found; looked in ${fortuneSearchPaths().join(', ')}. Put the <category>.txt files (entries separated by '%' lines) in one of them, or pass --data DIR.`,
    );
  }
  return found;
}

export interface FortuneSplit {
  path: string;
  classNames: string[];
  trainTexts: string[];
  trainLabels: Int32Array;
  testTexts: string[];
  testLabels: Int32Array;
}

/**
 * The entries of `classes`, split by a seeded shuffle into training and test (TEST_SPLIT);
 * `limitPerSplit` keeps the first N of each part (quick runs and tests).
 */
export function loadFortunes(options: { path?: string; classes?: readonly string[]; seed: number; limitPerSplit?: number }): FortuneSplit {
  const path = findFortunes(options.path);
  const [train, test] = nb.data.textDatasetFromDirectory(path, {
    layout: 'files',
    entrySeparator: '%',
    classNames: options.classes ?? DEFAULT_CLASSES,
    validationSplit: TEST_SPLIT,
    subset: 'both',
    seed: options.seed,
    verbose: false,
  });
  const n = options.limitPerSplit ?? Infinity;
  return {
    path,
    classNames: train.classNames,
    trainTexts: train.texts.slice(0, n),
    trainLabels: train.labels.slice(0, n),
    testTexts: test.texts.slice(0, n),
    testLabels: test.labels.slice(0, n),
  };
}

/** The accuracy of always answering the most frequent training class, on `testLabels`. */
export function majorityBaseline(trainLabels: Int32Array, testLabels: Int32Array, classes: number): { label: number; accuracy: number } {
  const counts = new Array<number>(classes).fill(0);
  for (const l of trainLabels) counts[l]!++;
  const label = counts.indexOf(Math.max(...counts));
  const hits = testLabels.reduce((s, l) => s + (l === label ? 1 : 0), 0);
  return { label, accuracy: testLabels.length > 0 ? hits / testLabels.length : 0 };
}
