// Reading a CSV file into named string columns, and inferring feature columns from them.
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { checkFile, readRecordsSync } from '../data/csv-parse.js';
import * as ops from '../ops/index.js';
import type { Tensor } from '../core/tensor.js';
import { categoricalColumnWithVocabularyList } from './feature-column/categorical.js';
import { indicatorColumn } from './feature-column/dense-wrappers.js';
import { numericColumn } from './feature-column/numeric.js';
import type { FeatureColumn } from './feature-column/types.js';

/** A CSV file as columns of raw strings. */
export interface CsvTable {
  names: string[];
  columns: Record<string, string[]>;
  rows: number;
  path: string;
}

/** Options of `readCsvTable`. */
export interface CsvTableOptions {
  /** Column names; by default the first (non-skipped) line is the header. */
  names?: readonly string[];
  /** Lines to skip at the top (default 0). */
  skipRows?: number;
  delimiter?: string;
}

/**
 * Reads a CSV (optionally gzipped) into string columns by name.
 *
 * @example
 * ```ts
 * const t = nb.estimator.readCsvTable('data.csv');
 * ```
 */
export function readCsvTable(path: string, options: CsvTableOptions = {}): CsvTable {
  const where = 'readCsvTable';
  checkFile(path, where);
  const records = readRecordsSync(path, options.delimiter ?? ',', where).slice(options.skipRows ?? 0).filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  if (records.length === 0) throw new InvalidArgumentError(`${where}: '${path}' is empty; it needs a header line and at least one row.`);
  const names = options.names ? [...options.names] : records.shift()!.fields.map((f) => f.trim());
  if (records.length === 0) throw new InvalidArgumentError(`${where}: '${path}' has a header but no data rows.`);
  const columns: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, [] as string[]]));
  for (const r of records) {
    if (r.fields.length !== names.length) {
      throw new InvalidArgumentError(`${where}: '${path}' line ${r.line} has ${r.fields.length} fields, expected ${names.length} (${names.join(', ')}).`);
    }
    r.fields.forEach((f, i) => columns[names[i]!]!.push(f.trim()));
  }
  return { names, columns, rows: records.length, path };
}

/** Whether every value parses as a finite number. */
export function isNumericColumn(values: readonly string[]): boolean {
  return values.every((v) => v !== '' && Number.isFinite(Number(v)));
}

/** The label column as a float32 tensor, or a clear error. */
export function labelTensor(table: CsvTable, label: string): Tensor {
  const col = table.columns[label];
  if (!col) throw new NotFoundError(`CSV '${table.path}' has no label column '${label}'; its columns are: ${table.names.join(', ')}. Pass --label with one of them.`);
  const vals = col.map((v, i) => {
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`CSV '${table.path}': label column '${label}' has the non-numeric value ${JSON.stringify(v)} at data row ${i + 1}; labels must be numbers (class ids or targets).`);
    return n;
  });
  return ops.tensor(vals, [vals.length], 'float32');
}

/**
 * Feature columns inferred from a table: numeric columns (standardised with the table's mean and
 * std) and, for other columns, an indicator over the values seen.
 *
 * @example
 * ```ts
 * const cols = nb.estimator.inferFeatureColumns(table, {exclude: ['species']});
 * ```
 */
export function inferFeatureColumns(table: CsvTable, options: { exclude?: readonly string[]; categorical?: readonly string[] } = {}): FeatureColumn[] {
  const out: FeatureColumn[] = [];
  for (const name of table.names) {
    if (options.exclude?.includes(name)) continue;
    const vals = table.columns[name]!;
    if (!options.categorical?.includes(name) && isNumericColumn(vals)) {
      const xs = vals.map(Number);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
      out.push(numericColumn(name, { normalizer: (x) => ops.div(ops.sub(x, mean), std) }));
    } else {
      out.push(indicatorColumn(categoricalColumnWithVocabularyList(name, [...new Set(vals)].sort())));
    }
  }
  return out;
}
