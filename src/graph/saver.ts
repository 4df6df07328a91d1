import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, NotFoundError, ShapeError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import type { Session } from './session.js';
import { SymbolicTensor } from './symbolic.js';
import { readTensor, WeightsWriter, type TensorEntry } from './tensor-bytes.js';
import { writeAtomic } from './graph-io.js';
import { globalVariables } from './variable.js';

export interface SaverOptions {
  /** The variables to save (default: every graph variable of the session's graph). */
  varList?: readonly SymbolicTensor[];
  /** How many recent checkpoints to keep; older ones are deleted (default 5). */
  maxToKeep?: number;
}

interface CheckpointState {
  latest: string;
  all: string[];
}

/**
 * Saves and restores graph variables (TensorFlow's `tf.compat.v1.train.Saver`). A checkpoint
 * `prefix` is two files, `prefix.index.json` (names, dtypes, shapes, byte ranges) and
 * `prefix.data.bin`; a `checkpoint` file in the folder lists the kept ones (docs/FORMATS.md).
 *
 * @example
 * ```ts
 * const saver = new nb.v1.train.Saver({maxToKeep: 3});
 * saver.save(sess, 'ckpt/model', {globalStep: 100});   // ckpt/model-100.*
 * saver.restore(sess, nb.v1.train.latestCheckpoint('ckpt')!);
 * ```
 */
export class Saver {
  readonly maxToKeep: number;
  private readonly varList?: readonly SymbolicTensor[];

  constructor(options: SaverOptions = {}) {
    this.maxToKeep = options.maxToKeep ?? 5;
    if (!Number.isInteger(this.maxToKeep) || this.maxToKeep < 1) {
      throw new InvalidArgumentError(`Saver: maxToKeep must be a positive integer, got ${options.maxToKeep}.`);
    }
    if (options.varList !== undefined) this.varList = options.varList;
  }

  private vars(sess: Session): SymbolicTensor[] {
    return [...(this.varList ?? globalVariables(sess.graph))];
  }

  /** Writes the session's variable values; returns the checkpoint prefix. */
  save(sess: Session, path: string, options: { globalStep?: number | Tensor } = {}): string {
    let prefix = path;
    if (options.globalStep !== undefined) {
      const gs = options.globalStep;
      const step = typeof gs === 'number' ? gs : gs instanceof SymbolicTensor ? sess.run(gs).item() : gs.item();
      prefix = `${path}-${step}`;
    }
    const w = new WeightsWriter();
    const entries: Record<string, TensorEntry> = {};
    for (const v of this.vars(sess)) {
      const value = sess.variables.get(v.node.id);
      if (value === undefined) {
        throw new InvalidArgumentError(`Saver.save: variable '${v.node.name}' has no value in this session; run the initializer first.`);
      }
      entries[v.node.name] = w.add(value);
    }
    const dir = dirname(prefix);
    mkdirSync(dir, { recursive: true });
    writeAtomic(`${prefix}.data.bin`, w.bytes());
    writeAtomic(`${prefix}.index.json`, JSON.stringify({ format: 'nabla-checkpoint', version: 1, variables: entries }, null, 1));
    const state = readState(dir) ?? { latest: '', all: [] };
    const name = basename(prefix);
    state.all = state.all.filter((p) => p !== name);
    state.all.push(name);
    while (state.all.length > this.maxToKeep) {
      const old = state.all.shift()!;
      rmSync(join(dir, `${old}.data.bin`), { force: true });
      rmSync(join(dir, `${old}.index.json`), { force: true });
    }
    state.latest = name;
    writeAtomic(join(dir, 'checkpoint'), JSON.stringify(state, null, 1));
    return prefix;
  }

  /** Loads the variables saved under `prefix` into `sess` (checked before anything is assigned). */
  restore(sess: Session, prefix: string): void {
    const indexPath = `${prefix}.index.json`;
    if (!existsSync(indexPath)) {
      throw new NotFoundError(`Saver.restore: no checkpoint '${prefix}' (missing ${indexPath}); use nb.v1.train.latestCheckpoint(dir) to find the newest.`);
    }
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { variables: Record<string, TensorEntry> };
    const data = new Uint8Array(readFileSync(`${prefix}.data.bin`));
    const loaded: [number, Tensor][] = [];
    for (const v of this.vars(sess)) {
      const e = index.variables[v.node.name];
      if (e === undefined) {
        throw new NotFoundError(`Saver.restore: checkpoint '${prefix}' has no variable '${v.node.name}'; it holds ${Object.keys(index.variables).join(', ') || 'nothing'}.`);
      }
      const t = readTensor(data, e, `Saver.restore '${v.node.name}'`);
      if (t.dtype !== v.dtype || t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
        throw new ShapeError(
          `Saver.restore: variable '${v.node.name}' is ${formatShape(v.shape)} ${v.dtype} in the graph but ${formatShape(t.shape)} ${t.dtype} in '${prefix}'.`,
        );
      }
      loaded.push([v.node.id, t]);
    }
    for (const [id, t] of loaded) sess.variables.set(id, t);
  }
}

function readState(dir: string): CheckpointState | null {
  const p = join(dir, 'checkpoint');
  if (!existsSync(p)) return null;
  return JSON.parse(readFileSync(p, 'utf8')) as CheckpointState;
}

/** The prefix of the newest checkpoint saved in `dir`, or null. */
export function latestCheckpoint(dir: string): string | null {
  const s = readState(dir);
  return s === null || s.latest === '' ? null : join(dir, s.latest);
}
