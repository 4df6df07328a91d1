import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { getBackend } from '../backend/registry.js';
import { version } from '../version.js';
import type { SummaryValue } from './event.js';

/** Name of the JSON-lines file of a run (see docs/FORMATS.md). */
export const SUMMARIES_FILE = 'summaries.jsonl';
/** Name of a run's metadata file. */
export const RUN_FILE = 'run.json';

/** What a run was: shown by `nabla dashboard`. Any extra keys are kept. */
export interface RunMetadata {
  /** The command line that started the run (default: `process.argv` joined). */
  command?: string;
  /** Hyper-parameters: learning rate, batch size, epochs... */
  hyperParameters?: Record<string, unknown>;
  /** The compute backend (default: the active one). */
  backend?: string;
  /** The dataset trained on. */
  dataset?: string;
  [key: string]: unknown;
}

/** One line of `summaries.jsonl`. */
export type RunLogRecord = { step: number; wallTime: number; tag: string } & (
  | { kind: 'scalar'; value: number | null }
  | { kind: 'image'; file: string; width: number; height: number; channels: number }
  | { kind: 'histogram'; min: number; max: number; num: number; sum: number; sumSquares: number; bucketLimit: number[]; bucket: number[] }
  | { kind: 'text'; text: string }
);

function slug(tag: string): string {
  return tag.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_') || '_';
}

/** Writes nabla's run-log format: `run.json`, `summaries.jsonl` and `images/<tag>/<step>.png`. */
export class RunLogWriter {
  private fd: number | null;
  private metadata: RunMetadata;

  constructor(readonly logdir: string, metadata: RunMetadata = {}) {
    mkdirSync(logdir, { recursive: true });
    const path = join(logdir, RUN_FILE);
    let previous: RunMetadata = {};
    if (existsSync(path)) {
      try {
        previous = JSON.parse(readFileSync(path, 'utf8')) as RunMetadata;
      } catch {
        previous = {};
      }
    }
    this.metadata = {
      format: 'nabla-run',
      formatVersion: 1,
      command: process.argv.slice(1).join(' '),
      backend: getBackend(),
      nablaVersion: version,
      host: hostname(),
      startTime: new Date().toISOString(),
      ...previous,
      ...metadata,
    };
    this.writeMetadata();
    this.fd = openSync(join(logdir, SUMMARIES_FILE), 'a');
  }

  /** Merges `metadata` into `run.json` (rewritten atomically). */
  setMetadata(metadata: RunMetadata): void {
    this.metadata = { ...this.metadata, ...metadata };
    this.writeMetadata();
  }

  private writeMetadata(): void {
    const path = join(this.logdir, RUN_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.metadata, null, 2) + '\n');
    renameSync(tmp, path);
  }

  write(step: number, values: readonly SummaryValue[], wallTime = Date.now() / 1000): void {
    if (this.fd === null) return;
    let lines = '';
    for (const v of values) {
      const head = { step, wallTime, tag: v.tag };
      let record: RunLogRecord;
      if (v.kind === 'scalar') record = { ...head, kind: 'scalar', value: Number.isFinite(v.value) ? v.value : null };
      else if (v.kind === 'text') record = { ...head, kind: 'text', text: v.text };
      else if (v.kind === 'histogram') record = { ...head, kind: 'histogram', ...v.histogram };
      else {
        const dir = join('images', slug(v.tag));
        mkdirSync(join(this.logdir, dir), { recursive: true });
        const file = `${dir}/${step}.png`;
        writeFileSync(join(this.logdir, file), v.png);
        record = { ...head, kind: 'image', file, width: v.width, height: v.height, channels: v.channels };
      }
      lines += JSON.stringify(record) + '\n';
    }
    writeSync(this.fd, lines);
  }

  flush(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
