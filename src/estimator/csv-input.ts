// csvInputFn: an input function over a CSV file.
import { inferColumnSpecs, isStringLabelColumn, labelTensor, readCsvTable, tableFeatures, type CsvTable, type ColumnSpec, type CsvTableOptions } from './csv-table.js';
import { numpyInputFn } from './input-fns.js';
import type { InputFn, RawLabels } from './input.js';

function csvLabels(table: CsvTable, label: string, vocabulary: readonly string[] | undefined): RawLabels {
  if (vocabulary || !isStringLabelColumn(table, label)) return labelTensor(table, label, vocabulary);
  return table.columns[label]!;
}

/** Options of `csvInputFn`. */
export interface CsvInputOptions extends CsvTableOptions {
  /** The label column (omit for prediction). */
  label?: string;
  /**
   * Class names of a label column that holds names: they become ids by position (a name not in
   * it is an error naming the data row). Without it, a non-numeric label column is passed on as
   * strings, for a classifier with labelVocabulary to map.
   */
  labelVocabulary?: readonly string[];
  /** How each column is read (default: inferred from the file, see inferColumnSpecs). */
  specs?: readonly ColumnSpec[];
  batchSize?: number;
  shuffle?: boolean;
  numEpochs?: number | null;
  seed?: number;
}

/**
 * An input function over a CSV file: numeric columns become float32 tensors (a non-numeric value
 * is an error naming the column and row), the others strings for categorical columns. A label
 * column of class names is mapped with `labelVocabulary`, or passed on as strings.
 *
 * @example
 * ```ts
 * await est.train(nb.estimator.csvInputFn('train.csv', {label: 'y', batchSize: 32, numEpochs: null}), {steps: 500});
 * ```
 */
export function csvInputFn(path: string, options: CsvInputOptions = {}): InputFn {
  const table = readCsvTable(path, options);
  const specs = options.specs ?? inferColumnSpecs(table, options.label ? { exclude: [options.label] } : {});
  const x = tableFeatures(table, specs);
  return numpyInputFn({
    x,
    ...(options.label ? { y: csvLabels(table, options.label, options.labelVocabulary) } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.shuffle !== undefined ? { shuffle: options.shuffle } : {}),
    ...(options.numEpochs !== undefined ? { numEpochs: options.numEpochs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
}
