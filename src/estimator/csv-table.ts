// Reading a CSV file into named string columns, and inferring feature columns from them.
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { checkFile, readRecordsSync } from '../data/csv-parse.js';
import * as ops from '../ops/index.js';
import type { Tensor } from '../core/tensor.js';
import { categoricalColumnWithVocabularyList } from './feature-column/categorical.js';
import { indicatorColumn } from './feature-column/dense-wrappers.js';
import { numericColumn } from './feature-column/numeric.js';
import { vocabularyLabelIds } from './head.js';
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

function labelColumn(table: CsvTable, label: string): string[] {
  const col = table.columns[label];
  if (!col) throw new NotFoundError(`CSV '${table.path}' has no label column '${label}'; its columns are: ${table.names.join(', ')}. Pass --label with one of them.`);
  return col;
}

/**
 * The label column as a float32 tensor, or a clear error. Without `labelVocabulary` the values
 * must be numbers (class ids or targets); with it they are class names, mapped to their position
 * in the vocabulary (a name not in it is an error naming the value, the data row and the vocabulary).
 *
 * @example
 * ```ts
 * const y = nb.estimator.labelTensor(table, 'species', ['setosa', 'versicolor', 'virginica']);
 * ```
 */
export function labelTensor(table: CsvTable, label: string, labelVocabulary?: readonly string[]): Tensor {
  const col = labelColumn(table, label);
  if (labelVocabulary) return vocabularyLabelIds(col, labelVocabulary, `CSV '${table.path}': label column '${label}'`, 1, 'data row');
  const vals = col.map((v, i) => {
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) {
      throw new InvalidArgumentError(
        `CSV '${table.path}': label column '${label}' has the non-numeric value ${JSON.stringify(v)} at data row ${i + 1}; labels must be numbers (class ids or targets), ` +
          `or class names with a labelVocabulary (a classifier's labelVocabulary; on the command line it is inferred, or give --label-vocabulary).`,
      );
    }
    return n;
  });
  return ops.tensor(vals, [vals.length], 'float32');
}

/** Whether the label column holds anything but numbers (class names). */
export function isStringLabelColumn(table: CsvTable, label: string): boolean {
  return !isNumericColumn(labelColumn(table, label));
}

/**
 * The sorted distinct values of a label column: the labelVocabulary inferred for class names.
 *
 * @example `nb.estimator.inferLabelVocabulary(table, 'species') // ['setosa', 'versicolor', 'virginica']`
 */
export function inferLabelVocabulary(table: CsvTable, label: string): string[] {
  return [...new Set(labelColumn(table, label))].sort();
}

/** A serializable description of one inferred feature column. */
export type ColumnSpec = { name: string; kind: 'numeric'; mean: number; std: number } | { name: string; kind: 'categorical'; vocabulary: string[] };

/**
 * Column descriptions inferred from a table: numeric columns (with the table's mean and std for
 * standardisation) and, for the others (or those named in `categorical`), the values seen.
 *
 * @example
 * ```ts
 * const specs = nb.estimator.inferColumnSpecs(table, {exclude: ['species']});
 * ```
 */
export function inferColumnSpecs(table: CsvTable, options: { exclude?: readonly string[]; categorical?: readonly string[] } = {}): ColumnSpec[] {
  for (const n of [...(options.exclude ?? []), ...(options.categorical ?? [])]) {
    if (!table.columns[n]) throw new NotFoundError(`CSV '${table.path}' has no column '${n}'; its columns are: ${table.names.join(', ')}.`);
  }
  return table.names
    .filter((name) => !options.exclude?.includes(name))
    .map((name): ColumnSpec => {
      const vals = table.columns[name]!;
      if (!options.categorical?.includes(name) && isNumericColumn(vals)) {
        const xs = vals.map(Number);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
        return { name, kind: 'numeric', mean, std };
      }
      return { name, kind: 'categorical', vocabulary: [...new Set(vals)].sort() };
    });
}

/** Feature columns for column specs: standardised numeric columns, indicators over vocabularies. */
export function columnsFromSpecs(specs: readonly ColumnSpec[]): FeatureColumn[] {
  return specs.map((s) =>
    s.kind === 'numeric'
      ? numericColumn(s.name, { normalizer: (x) => ops.div(ops.sub(x, s.mean), s.std) })
      : indicatorColumn(categoricalColumnWithVocabularyList(s.name, s.vocabulary)),
  );
}

/** Feature columns inferred from a table (see inferColumnSpecs). @example `nb.estimator.inferFeatureColumns(table, {exclude: ['label']})` */
export function inferFeatureColumns(table: CsvTable, options: { exclude?: readonly string[]; categorical?: readonly string[] } = {}): FeatureColumn[] {
  return columnsFromSpecs(inferColumnSpecs(table, options));
}

/**
 * The table's features for `specs`: numeric columns as float32 tensors (a non-numeric value is an
 * error naming the column and the data row), categorical columns as strings.
 */
export function tableFeatures(table: CsvTable, specs: readonly ColumnSpec[]): Record<string, Tensor | string[]> {
  const out: Record<string, Tensor | string[]> = {};
  for (const s of specs) {
    const col = table.columns[s.name];
    if (!col) throw new NotFoundError(`CSV '${table.path}' has no column '${s.name}', which the model was trained with; its columns are: ${table.names.join(', ')}.`);
    if (s.kind === 'categorical') out[s.name] = col;
    else {
      out[s.name] = ops.tensor(
        col.map((v, i) => {
          const n = Number(v);
          if (v === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`CSV '${table.path}': numeric column '${s.name}' has the non-numeric value ${JSON.stringify(v)} at data row ${i + 1}. Fix the value, or treat the column as categorical (--categorical ${s.name}).`);
          return n;
        }),
        [col.length],
        'float32',
      );
    }
  }
  return out;
}
