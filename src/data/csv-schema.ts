/**
 * Columns of a CSV table: names, selection, label, per-column dtype (declared, implied by a
 * default, or inferred from the values) and the conversion of one record's fields to numbers.
 */
import { DTypeError, InvalidArgumentError } from '../core/errors.js';
import type { CsvRecord } from './csv-parse.js';

/** The numeric dtypes a CSV column can have (nabla has no string dtype). */
export type CsvDType = 'float32' | 'int32';

export interface CsvOptions {
  /** Whether the first (non-skipped) record holds the column names (default true). */
  header?: boolean;
  /** Column names, in file order; required when `header` is false, else they replace the header. */
  columnNames?: string[];
  /** Records to skip at the start of the file, before the header (default 0). */
  skipRows?: number;
  /** Field separator, one character (default ','). */
  delimiter?: string;
  /** The column to yield as the label: elements become `[features, label]`. */
  labelColumn?: string;
  /** The columns to read (the label column is always read); default all. */
  selectColumns?: string[];
  /**
   * Value for empty fields, by column name (or as an array in file order). A non-integer default
   * makes the column float32. Without a default, an empty field is an error naming row and column.
   */
  columnDefaults?: Record<string, number> | readonly (number | undefined)[];
  /** Forces a column's dtype instead of inferring it. */
  columnDtypes?: Record<string, CsvDType>;
  /** Records read to infer column dtypes before the first element (default: every record). */
  numRowsForInference?: number;
}

/** A checked-out view of the columns that are read. */
export interface Schema {
  /** Every column name, in file order. */
  names: string[];
  /** File indices of the columns read, in output order (features first, then the label). */
  read: number[];
  dtypes: CsvDType[];
  defaults: (number | undefined)[];
  /** Position in `read` of the label, or -1. */
  label: number;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;
const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

function isInt32(s: string): boolean {
  if (!INT_RE.test(s)) return false;
  const v = Number(s);
  return v >= -2147483648 && v <= 2147483647;
}

function parseNumber(s: string): number | null {
  if (FLOAT_RE.test(s)) return Number(s);
  const special = SPECIAL[s.toLowerCase()];
  return special === undefined ? null : special;
}

/** Where a record is: `row 3 (line 5)` (rows count data records from 1). */
export function at(row: number, rec: CsvRecord): string {
  return `row ${row} (line ${rec.line})`;
}

/** Builds the schema from the header (or `columnNames`) and the options; dtypes not yet inferred. */
export function makeSchema(header: string[] | null, options: CsvOptions, where: string): Schema {
  const names = options.columnNames ? [...options.columnNames] : header;
  if (!names) throw new InvalidArgumentError(`${where}: header is false, so give the column names with columnNames.`);
  if (header && options.columnNames && header.length !== options.columnNames.length) {
    throw new InvalidArgumentError(`${where}: columnNames has ${options.columnNames.length} names but the header has ${header.length} columns.`);
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new InvalidArgumentError(`${where}: column name '${n}' appears twice; rename one with columnNames.`);
    seen.add(n);
  }
  const index = (name: string, what: string): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new InvalidArgumentError(`${where}: ${what} '${name}' is not a column; columns are ${names.join(', ')}.`);
    return i;
  };
  let read = options.selectColumns ? options.selectColumns.map((n) => index(n, 'selectColumns entry')) : names.map((_, i) => i);
  let label = -1;
  if (options.labelColumn !== undefined) {
    const li = index(options.labelColumn, 'labelColumn');
    read = [...read.filter((i) => i !== li), li];
    label = read.length - 1;
  }
  let defaultsByIndex: (number | undefined)[] = [];
  const cd = options.columnDefaults;
  if (Array.isArray(cd)) {
    if (cd.length !== names.length) throw new InvalidArgumentError(`${where}: columnDefaults has ${cd.length} entries but the file has ${names.length} columns; give one per column (undefined for none) or a record by name.`);
    defaultsByIndex = [...cd];
  } else if (cd) {
    for (const [k, v] of Object.entries(cd)) defaultsByIndex[index(k, 'columnDefaults key')] = v;
  }
  defaultsByIndex.forEach((v, i) => {
    if (v !== undefined && typeof v !== 'number') throw new InvalidArgumentError(`${where}: the default for column '${names[i]}' must be a number, got ${String(v)}.`);
  });
  for (const [k, v] of Object.entries(options.columnDtypes ?? {})) {
    index(k, 'columnDtypes key');
    if (v !== 'float32' && v !== 'int32') throw new InvalidArgumentError(`${where}: columnDtypes['${k}'] must be 'float32' or 'int32', got ${String(v)}.`);
  }
  return { names, read, dtypes: read.map(() => 'int32'), defaults: read.map((i) => defaultsByIndex[i]), label };
}

/** Checks a record's field count. */
export function checkWidth(schema: Schema, rec: CsvRecord, row: number, where: string): void {
  if (rec.fields.length !== schema.names.length) {
    throw new InvalidArgumentError(
      `${where}: ${at(row, rec)} has ${rec.fields.length} fields but the table has ${schema.names.length} columns (${schema.names.join(', ')}); fix the row or the delimiter.`,
    );
  }
}

/**
 * Infers column dtypes from values seen one record at a time (so a streamed file is never held
 * in memory): int32 while every value is an int32 integer, float32 once one is not (or when the
 * default is not an integer), and a DTypeError for text. `columnDtypes` overrides the result.
 */
export class DtypeInference {
  private readonly isFloat: boolean[];

  constructor(
    private readonly schema: Schema,
    private readonly where: string,
  ) {
    this.isFloat = schema.read.map((_, c) => schema.defaults[c] !== undefined && !Number.isInteger(schema.defaults[c]));
  }

  observe(rec: CsvRecord, row: number): void {
    const { schema, isFloat } = this;
    schema.read.forEach((fi, c) => {
      const s = rec.fields[fi]!.trim();
      if (s === '' || (isFloat[c] && parseNumber(s) !== null) || isInt32(s)) return;
      if (parseNumber(s) === null) throw textColumn(schema, c, s, rec, row, this.where);
      isFloat[c] = true;
    });
  }

  /** Sets `schema.dtypes` from the values seen and the declared dtypes. */
  finish(declared: Record<string, CsvDType> = {}): Schema {
    const { schema } = this;
    schema.dtypes = schema.read.map((fi, c) => declared[schema.names[fi]!] ?? (this.isFloat[c] ? 'float32' : 'int32'));
    return schema;
  }
}

function textColumn(schema: Schema, c: number, value: string, rec: CsvRecord, row: number, where: string): DTypeError {
  const name = schema.names[schema.read[c]!]!;
  return new DTypeError(
    `${where}: column '${name}' holds text ('${value}' in ${at(row, rec)}), but nabla tensors are numeric (float32 or int32, no string dtype); leave the column out with selectColumns, or encode it as numbers (e.g. class indices) before loading.`,
  );
}

/** The numbers of the columns read, in schema order; empty fields take their defaults. */
export function convert(schema: Schema, rec: CsvRecord, row: number, where: string): number[] {
  return schema.read.map((fi, c) => {
    const name = schema.names[fi]!;
    const s = rec.fields[fi]!.trim();
    if (s === '') {
      const d = schema.defaults[c];
      if (d === undefined) {
        throw new InvalidArgumentError(`${where}: ${at(row, rec)} has no value in column '${name}'; fill it in the file or give columnDefaults: {'${name}': value}.`);
      }
      return d;
    }
    const v = parseNumber(s);
    if (v === null) throw textColumn(schema, c, s, rec, row, where);
    if (schema.dtypes[c] === 'int32' && !isInt32(s)) {
      throw new DTypeError(`${where}: column '${name}' is int32 but ${at(row, rec)} holds '${s}'; declare columnDtypes: {'${name}': 'float32'} (or infer from more rows with numRowsForInference).`);
    }
    return v;
  });
}
