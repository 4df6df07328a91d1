/**
 * An incremental CSV tokenizer (RFC 4180): quoted fields may hold delimiters, newlines and
 * doubled quotes; records end at \n, \r\n or \r. Text arrives in chunks of any size, so the same
 * parser serves whole files and streams.
 */
import { createReadStream, existsSync, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';

/** One record: its raw fields and the (1-based) line it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  private afterQuote = false;
  private pendingCR = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 0;
  private out: CsvRecord[] = [];

  constructor(
    private readonly delimiter: string,
    private readonly where: string,
  ) {}

  /** Parses a chunk; returns the records it completed. */
  push(text: string): CsvRecord[] {
    const d = this.delimiter;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.inQuotes) {
        if (c === '"') {
          this.inQuotes = false;
          this.afterQuote = true;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
        }
        continue;
      }
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === '\n') continue;
      }
      if (c === '"') {
        if (this.afterQuote) {
          this.field += '"';
          this.inQuotes = true;
          this.afterQuote = false;
        } else if (this.field === '') {
          this.inQuotes = true;
          this.quoteLine = this.line;
        } else {
          this.field += c;
        }
        continue;
      }
      this.afterQuote = false;
      if (c === d) {
        this.fields.push(this.field);
        this.field = '';
      } else if (c === '\n' || c === '\r') {
        this.pendingCR = c === '\r';
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else {
        this.field += c;
      }
    }
    const done = this.out;
    this.out = [];
    return done;
  }

  /** Finishes the input; returns the last record if the text did not end with a newline. */
  end(): CsvRecord[] {
    if (this.inQuotes) {
      throw new InvalidArgumentError(`${this.where}: a quoted field opened on line ${this.quoteLine} is never closed; close the quote (a quote inside a quoted field is written "").`);
    }
    if (this.field !== '' || this.fields.length > 0 || this.afterQuote) this.endRecord();
    const done = this.out;
    this.out = [];
    return done;
  }

  private endRecord(): void {
    this.fields.push(this.field);
    this.out.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.field = '';
    this.afterQuote = false;
  }
}

/** Throws NotFoundError unless `path` is a readable file. */
export function checkFile(path: string, where: string): void {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError(`${where}: path must be a non-empty string, got ${String(path)}.`);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new NotFoundError(`${where}: no file at '${path}' (relative paths start at ${process.cwd()}); check the path.`);
  }
}

function isGzip(path: string): boolean {
  if (path.endsWith('.gz')) return true;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** All records of a (possibly gzipped) file, read at once. */
export function readRecordsSync(path: string, delimiter: string, where: string): CsvRecord[] {
  const raw = readFileSync(path);
  const text = stripBom((isGzip(path) ? gunzipSync(raw) : raw).toString('utf8'));
  const parser = new CsvParser(delimiter, where);
  return [...parser.push(text), ...parser.end()];
}

/** The records of a (possibly gzipped) file, streamed: memory stays at one chunk. */
export async function* streamRecords(path: string, delimiter: string, where: string): AsyncGenerator<CsvRecord> {
  const file = createReadStream(path);
  const stream: Readable = isGzip(path) ? pipeline(file, createGunzip(), () => {}) : file;
  stream.setEncoding('utf8');
  const parser = new CsvParser(delimiter, where);
  let first = true;
  try {
    for await (const chunk of stream) {
      const text = first ? stripBom(chunk as string) : (chunk as string);
      first = false;
      yield* parser.push(text);
    }
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw new InvalidArgumentError(`${where}: could not read '${path}': ${(e as Error).message}. Check the file (is it a complete gzip file?).`);
  } finally {
    stream.destroy();
  }
  yield* parser.end();
}
