import { closeSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { RUN_FILE, SUMMARIES_FILE, type RunLogRecord } from '../summary/run-log.js';

/** The records of one run, grouped by kind and tag, read incrementally from `summaries.jsonl`. */
export interface RunData {
  scalars: Record<string, { step: number; value: number | null; wallTime: number }[]>;
  images: Record<string, { step: number; file: string; width: number; height: number }[]>;
  histograms: Record<string, { step: number; min: number; max: number; num: number; bucketLimit: number[]; bucket: number[] }[]>;
  text: Record<string, { step: number; text: string }[]>;
}

interface Cached {
  offset: number;
  rest: string;
  data: RunData;
}

/** True when `child` is `root` or inside it (both absolute, resolved). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** Reads the runs under a log directory; only paths inside it are ever opened. */
export class RunStore {
  readonly root: string;
  private cache = new Map<string, Cached>();

  constructor(logdir: string) {
    this.root = realpathSync(resolve(logdir));
  }

  /** Run names (paths relative to the root, '/'-separated; '.' for the root itself), sorted. */
  list(maxDepth = 4): string[] {
    const out: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (existsSync(join(dir, SUMMARIES_FILE))) out.push(relative(this.root, dir).split(sep).join('/') || '.');
      if (depth >= maxDepth) return;
      let entries: string[] = [];
      try {
        entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'images' && !e.name.startsWith('.')).map((e) => e.name);
      } catch {
        return;
      }
      for (const e of entries.sort()) walk(join(dir, e), depth + 1);
    };
    walk(this.root, 0);
    return out;
  }

  /** The absolute, real path of `rel` under the root, or null when it is outside or missing. */
  resolveInside(rel: string): string | null {
    if (rel.includes('\0')) return null;
    const p = resolve(this.root, rel);
    if (!isInside(this.root, p) || !existsSync(p)) return null;
    const real = realpathSync(p);
    return isInside(this.root, real) ? real : null;
  }

  /** The folder of a run, or null when `run` is not a run under the root. */
  runDir(run: string): string | null {
    const dir = this.resolveInside(run);
    return dir && existsSync(join(dir, SUMMARIES_FILE)) ? dir : null;
  }

  metadata(dir: string): Record<string, unknown> {
    try {
      return JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  /** A fingerprint that changes whenever any run's files grow or change. */
  version(): string {
    return this.list()
      .map((run) => {
        const dir = join(this.root, run);
        const s = (f: string) => {
          try {
            const st = statSync(join(dir, f));
            return `${st.size}:${st.mtimeMs}`;
          } catch {
            return '-';
          }
        };
        return `${run}=${s(SUMMARIES_FILE)},${s(RUN_FILE)}`;
      })
      .join(';');
  }

  /** The run's records, reading only what was appended since the last call. */
  data(dir: string): RunData {
    const path = join(dir, SUMMARIES_FILE);
    let c = this.cache.get(dir);
    const size = statSync(path).size;
    if (!c || size < c.offset) {
      c = { offset: 0, rest: '', data: { scalars: {}, images: {}, histograms: {}, text: {} } };
      this.cache.set(dir, c);
    }
    if (size > c.offset) {
      const buf = Buffer.alloc(size - c.offset);
      const fd = openSync(path, 'r');
      try {
        readSync(fd, buf, 0, buf.length, c.offset);
      } finally {
        closeSync(fd);
      }
      c.offset = size;
      const lines = (c.rest + buf.toString('utf8')).split('\n');
      c.rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) add(c.data, line);
    }
    return c.data;
  }
}

function push<T>(map: Record<string, T[]>, tag: string, item: T): void {
  (map[tag] ??= []).push(item);
}

function add(data: RunData, line: string): void {
  let r: RunLogRecord;
  try {
    r = JSON.parse(line) as RunLogRecord;
  } catch {
    return;
  }
  if (r.kind === 'scalar') push(data.scalars, r.tag, { step: r.step, value: r.value, wallTime: r.wallTime });
  else if (r.kind === 'image') push(data.images, r.tag, { step: r.step, file: r.file, width: r.width, height: r.height });
  else if (r.kind === 'histogram') push(data.histograms, r.tag, { step: r.step, min: r.min, max: r.max, num: r.num, bucketLimit: r.bucketLimit, bucket: r.bucket });
  else if (r.kind === 'text') push(data.text, r.tag, { step: r.step, text: r.text });
}
