import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { checkFile, readRecordsSync, streamRecords, type CsvRecord } from './csv-parse.js';
import { checkWidth, convert, DtypeInference, makeSchema, type CsvOptions, type Schema } from './csv-schema.js';
import { Dataset, UNKNOWN } from './dataset.js';

export type { CsvOptions, CsvDType } from './csv-schema.js';

/** Options of `csv` when a label column is named. */
export type CsvLabeledOptions = CsvOptions & { labelColumn: string };

function checkOptions(options: CsvOptions, where: string): void {
  const d = options.delimiter ?? ',';
  if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new InvalidArgumentError(`${where}: delimiter must be one character other than a quote or newline, got ${JSON.stringify(d)}.`);
  }
  const skip = options.skipRows ?? 0;
  if (!Number.isInteger(skip) || skip < 0) throw new InvalidArgumentError(`${where}: skipRows must be a non-negative integer, got ${String(skip)}.`);
  const n = options.numRowsForInference;
  if (n !== undefined && !(n === Infinity || (Number.isInteger(n) && n > 0))) {
    throw new InvalidArgumentError(`${where}: numRowsForInference must be a positive integer (or Infinity), got ${String(n)}.`);
  }
  if ((options.header ?? true) === false && !options.columnNames) {
    throw new InvalidArgumentError(`${where}: header is false, so give the column names with columnNames.`);
  }
}

/** Sorts records into skipped, header and data rows (numbered from 1); blank lines are skipped. */
class Rows {
  private seen = 0;
  private row = 0;
  header: string[] | null = null;

  constructor(private readonly options: CsvOptions) {}

  /** The data row number of `rec`, or 0 when it is not a data row. */
  accept(rec: CsvRecord): number {
    if (rec.fields.length === 1 && rec.fields[0]!.trim() === '') return 0;
    const k = this.seen++;
    const skip = this.options.skipRows ?? 0;
    if (k < skip) return 0;
    if (k === skip && (this.options.header ?? true)) {
      this.header = rec.fields.map((f) => f.trim());
      return 0;
    }
    return ++this.row;
  }
}

async function* dataRows(path: string, options: CsvOptions, where: string, onHeader?: (h: string[] | null) => void): AsyncGenerator<[CsvRecord, number]> {
  const rows = new Rows(options);
  let announced = false;
  for await (const rec of streamRecords(path, options.delimiter ?? ',', where)) {
    const row = rows.accept(rec);
    if (row === 0) continue;
    if (!announced) {
      onHeader?.(rows.header);
      announced = true;
    }
    yield [rec, row];
  }
  if (!announced) onHeader?.(rows.header);
}

function toElement(schema: Schema, values: number[]): Record<string, Tensor> | [Record<string, Tensor>, Tensor] {
  const features: Record<string, Tensor> = {};
  let label: Tensor | null = null;
  schema.read.forEach((fi, c) => {
    const dtype = schema.dtypes[c]!;
    const t = new Tensor([], dtype, dtype === 'int32' ? Int32Array.of(values[c]!) : Float32Array.of(values[c]!));
    if (c === schema.label) label = t;
    else features[schema.names[fi]!] = t;
  });
  return label ? [features, label] : features;
}

/**
 * Reads a CSV file (or gzipped CSV, by `.gz` or its magic bytes) as a Dataset of rows, like
 * `tf.data.experimental.make_csv_dataset` without the batching. Each element is a record of
 * scalar tensors keyed by column name, or `[features, label]` when `labelColumn` is given.
 * Column dtypes: int-looking columns are int32, other numeric ones float32 (a non-integer
 * default or `columnDtypes` decides otherwise); a text column is a DTypeError naming it. Empty
 * fields take `columnDefaults`, else they are an error naming row and column. The file is
 * streamed: a first pass infers dtypes, then each pass over the dataset reads it again.
 *
 * @example
 * ```ts
 * const ds = nb.data.csv('iris.csv', {header: false, skipRows: 1, columnNames: ['sl', 'sw', 'pl', 'pw', 'species'], labelColumn: 'species'})
 *   .map(([f, label]) => [nb.stack([f.sl!, f.sw!, f.pl!, f.pw!]), label] as const)
 *   .shuffle(150, {seed: 0})
 *   .batch(16);
 * await model.fit(ds, {epochs: 50});
 * ```
 */
export function csv(path: string, options: CsvLabeledOptions): Dataset<[Record<string, Tensor>, Tensor]>;
export function csv(path: string, options?: CsvOptions): Dataset<Record<string, Tensor>>;
export function csv(path: string, options: CsvOptions = {}): Dataset<Record<string, Tensor> | [Record<string, Tensor>, Tensor]> {
  const where = `csv('${path}')`;
  checkFile(path, where);
  checkOptions(options, where);
  // Given the names, check the label/selection/defaults now; with a header that waits for the file.
  if (options.columnNames) makeSchema(null, options, where);
  let schema: Promise<Schema> | null = null;
  const prepare = async (): Promise<Schema> => {
    let s: Schema | null = null;
    let inference: DtypeInference | null = null;
    const limit = options.numRowsForInference ?? Infinity;
    let seen = 0;
    const onHeader = (h: string[] | null): void => {
      s = makeSchema(h, options, where);
      inference = new DtypeInference(s, where);
    };
    for await (const [rec, row] of dataRows(path, options, where, onHeader)) {
      checkWidth(s!, rec, row, where);
      inference!.observe(rec, row);
      if (++seen >= limit) break;
    }
    inference ??= new DtypeInference(makeSchema(null, options, where), where);
    return inference.finish(options.columnDtypes);
  };
  return new Dataset(async function* () {
    schema ??= prepare();
    schema.catch(() => (schema = null));
    const s = await schema;
    for await (const [rec, row] of dataRows(path, options, where)) {
      checkWidth(s, rec, row, where);
      yield toElement(s, convert(s, rec, row, where));
    }
  }, UNKNOWN);
}

/** What `csvToTensors` returns: features as one matrix, and the label column. */
export interface CsvTensors<Y extends Tensor | undefined = Tensor | undefined> {
  /** Features `[rows, columns]` float32, columns in `featureNames` order. */
  x: Tensor;
  /** The label column `[rows]` (int32 or float32 as inferred), when `labelColumn` is given. */
  y: Y;
  featureNames: string[];
}

/**
 * Reads a small CSV table at once into tensors: `x` `[rows, features]` float32 and `y` `[rows]`
 * (the label column). Same options and errors as `csv`.
 *
 * @example
 * ```ts
 * const {x, y} = nb.data.csvToTensors('iris.csv', {header: false, skipRows: 1, columnNames: ['a', 'b', 'c', 'd', 'label'], labelColumn: 'label'});
 * await model.fit(x, y, {epochs: 100});
 * ```
 */
export function csvToTensors(path: string, options: CsvLabeledOptions): CsvTensors<Tensor>;
export function csvToTensors(path: string, options?: CsvOptions): CsvTensors<undefined>;
export function csvToTensors(path: string, options: CsvOptions = {}): CsvTensors {
  const where = `csvToTensors('${path}')`;
  checkFile(path, where);
  checkOptions(options, where);
  const rows = new Rows(options);
  const data: [CsvRecord, number][] = [];
  for (const rec of readRecordsSync(path, options.delimiter ?? ',', where)) {
    const row = rows.accept(rec);
    if (row > 0) data.push([rec, row]);
  }
  const s = makeSchema(rows.header, options, where);
  const inference = new DtypeInference(s, where);
  for (const [rec, row] of data) {
    checkWidth(s, rec, row, where);
    inference.observe(rec, row);
  }
  inference.finish(options.columnDtypes);
  const featureCols = s.read.map((_, c) => c).filter((c) => c !== s.label);
  const n = data.length;
  const x = new Float32Array(n * featureCols.length);
  const y = s.label >= 0 ? (s.dtypes[s.label] === 'int32' ? new Int32Array(n) : new Float32Array(n)) : null;
  data.forEach(([rec, row], r) => {
    const v = convert(s, rec, row, where);
    featureCols.forEach((c, j) => (x[r * featureCols.length + j] = v[c]!));
    if (y) y[r] = v[s.label]!;
  });
  return {
    x: new Tensor([n, featureCols.length], 'float32', x),
    y: y ? new Tensor([n], s.dtypes[s.label]!, y) : undefined,
    featureNames: featureCols.map((c) => s.names[s.read[c]!]!),
  };
}
