import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tfRecord } from './crc32c.js';
import { fileVersionEvent, summaryEvent, type SummaryValue } from './event.js';

/**
 * Appends TensorBoard events to `<logdir>/events.out.tfevents.<seconds>.<host>[<suffix>]`, one
 * TFRecord per event, the `file_version` event first. Each record is written straight to the file
 * (no buffering), so TensorBoard and the nabla dashboard see it at once.
 */
export class EventFileWriter {
  readonly path: string;
  private fd: number | null;

  constructor(logdir: string, filenameSuffix = '') {
    mkdirSync(logdir, { recursive: true });
    const now = Date.now() / 1000;
    const base = `events.out.tfevents.${Math.floor(now)}.${hostname()}${filenameSuffix}`;
    let path = join(logdir, base);
    for (let n = 1; existsSync(path); n++) path = join(logdir, `${base}.${n}`);
    this.path = path;
    this.fd = openSync(path, 'wx');
    this.append(fileVersionEvent(now));
  }

  private append(event: Uint8Array): void {
    if (this.fd === null) return;
    writeSync(this.fd, tfRecord(event));
  }

  write(step: number, values: readonly SummaryValue[], wallTime = Date.now() / 1000): void {
    this.append(summaryEvent(wallTime, step, values));
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
