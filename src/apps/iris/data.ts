import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../../index.js';

/** The iris table as tensors: standardised features [n,4] float32 and labels [n] int32. */
export interface IrisData {
  x: nb.Tensor;
  y: nb.Tensor;
  classNames: string[];
  path: string;
}

/** The copy of iris.csv that ships with the package (data/iris.csv at the package root). */
export function shippedIrisPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'data', 'iris.csv');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new nb.NotFoundError('iris: data/iris.csv was not found in the nabla package; reinstall nabla or pass a path.');
}

/**
 * Reads the iris CSV (header `rows,features,class names...`, label last) and standardises each
 * feature to zero mean and unit variance.
 */
export function loadIris(path: string = shippedIrisPath()): IrisData {
  if (!existsSync(path)) throw new nb.NotFoundError(`iris: no file at ${path}.`);
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const rows = Number(header[0]);
  const features = Number(header[1]);
  const classNames = header.slice(2);
  if (!Number.isInteger(rows) || !Number.isInteger(features) || lines.length - 1 !== rows) {
    throw new nb.InvalidArgumentError(
      `iris: ${path} must start with a header 'rows,features,class names...' followed by that many rows; header says ${header[0]} rows, file has ${lines.length - 1}.`,
    );
  }
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  lines.slice(1).forEach((line, r) => {
    const cells = line.split(',').map(Number);
    if (cells.length !== features + 1 || cells.some((c) => !Number.isFinite(c))) {
      throw new nb.InvalidArgumentError(`iris: row ${r + 2} of ${path} must hold ${features} numbers and a label: '${line}'.`);
    }
    for (let f = 0; f < features; f++) x[r * features + f] = cells[f]!;
    y[r] = cells[features]!;
  });
  const raw = nb.tensor(x, [rows, features]);
  const { mean, variance } = nb.moments(raw, 0);
  const standardised = nb.div(nb.sub(raw, mean), nb.sqrt(nb.add(variance, 1e-8)));
  return { x: standardised, y: nb.tensor(y, [rows], 'int32'), classNames, path };
}
