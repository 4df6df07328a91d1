// Iris from the shared data folder, split 80/20 with a seeded shuffle (for the estimator tests).
import { readFileSync } from 'node:fs';
import * as nb from '../../src/index.js';
import { sharedData } from '../util/shared-data.js';

export interface IrisSplit {
  train: { x: nb.Tensor; y: nb.Tensor };
  test: { x: nb.Tensor; y: nb.Tensor };
}

/** 120 train / 30 test rows; the shuffle is a fixed LCG seeded with `seed`. */
export function irisSplit(seed = 42): IrisSplit {
  const rows = readFileSync(sharedData('tabular', 'iris.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
  const idx = rows.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const part = (ix: number[]) => ({ x: nb.tensor(ix.flatMap((i) => rows[i]!.slice(0, 4)), [ix.length, 4]), y: nb.tensor(ix.map((i) => rows[i]![4]!), [ix.length]) });
  return { train: part(idx.slice(0, 120)), test: part(idx.slice(120)) };
}
