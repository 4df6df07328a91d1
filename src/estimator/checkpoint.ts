// modelDir checkpoints: one nabla container file per saved step (docs/FORMATS.md, "Estimator
// checkpoints"), written atomically (temporary file + fsync + rename), newest kept.
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { packTensors, readContainer, writeContainer, type TensorEntry } from '../keras/saving/container.js';

/** The `format` field of a checkpoint header. */
export const CHECKPOINT_FORMAT = 'nabla-estimator-checkpoint';
const FILE_RE = /^ckpt-(\d+)\.nbckpt$/;

/** What a checkpoint holds: the global step, model variables by name, optimizer state. */
export interface CheckpointData {
  globalStep: number;
  variables: { name: string; tensor: Tensor }[];
  /** `optimizer.getWeights()`, or empty when no optimizer was built yet. */
  optimizer: Tensor[];
  optimizerClass: string | null;
}

/** The path of the checkpoint for `step`. */
export function checkpointPath(modelDir: string, step: number): string {
  return join(modelDir, `ckpt-${step}.nbckpt`);
}

/** Checkpoint files in `modelDir`, newest (highest step) first. */
export function listCheckpoints(modelDir: string): { step: number; path: string }[] {
  if (!existsSync(modelDir)) return [];
  return readdirSync(modelDir)
    .map((f) => FILE_RE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), path: join(modelDir, m[0]) }))
    .sort((a, b) => b.step - a.step);
}

/** 32-bit FNV-1a over every tensor's bytes, with the total length: detects flipped or lost bytes. */
function checksum(tensors: readonly Tensor[]): string {
  let h = 0x811c9dc5;
  let n = 0;
  for (const t of tensors) {
    const v = t.values;
    const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    n += b.length;
    for (let i = 0; i < b.length; i++) {
      h ^= b[i]!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return `${n}:${h.toString(16)}`;
}

/** Writes a checkpoint atomically and deletes all but the newest `keep` (0 or null: keep all). */
export function saveCheckpoint(modelDir: string, data: CheckpointData, keep: number | null): string {
  mkdirSync(modelDir, { recursive: true });
  const tensors = [...data.variables.map((v) => ({ name: `model/${v.name}`, tensor: v.tensor })), ...data.optimizer.map((t, i) => ({ name: `optimizer/${i}`, tensor: t }))];
  const { entries, data: bytes } = packTensors(tensors);
  const header = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    globalStep: data.globalStep,
    optimizerClass: data.optimizerClass,
    tensors: entries,
    checksum: checksum(tensors.map((t) => t.tensor)),
  };
  const path = checkpointPath(modelDir, data.globalStep);
  writeContainer(path, header, bytes);
  if (keep !== null && keep > 0) for (const old of listCheckpoints(modelDir).slice(keep)) unlinkSync(old.path);
  return path;
}

/** Reads and verifies a checkpoint; any damage is an InvalidArgumentError naming the file. */
export function readCheckpoint(path: string): CheckpointData {
  const what = 'Estimator checkpoint';
  const c = readContainer(path, what);
  const h = c.header;
  if (h['format'] !== CHECKPOINT_FORMAT || typeof h['globalStep'] !== 'number' || !Array.isArray(h['tensors'])) {
    throw new InvalidArgumentError(`${what}: '${path}' is not an estimator checkpoint (format ${JSON.stringify(h['format'])}).`);
  }
  const entries = h['tensors'] as TensorEntry[];
  const tensors = entries.map((e) => ({ name: e.name, tensor: c.tensor(e) }));
  if (checksum(tensors.map((t) => t.tensor)) !== h['checksum']) throw new InvalidArgumentError(`${what}: '${path}' is corrupt (the data checksum does not match the header).`);
  return {
    globalStep: h['globalStep'],
    optimizerClass: typeof h['optimizerClass'] === 'string' ? h['optimizerClass'] : null,
    variables: tensors.filter((t) => t.name.startsWith('model/')).map((t) => ({ name: t.name.slice(6), tensor: t.tensor })),
    optimizer: tensors.filter((t) => t.name.startsWith('optimizer/')).map((t) => t.tensor),
  };
}

/**
 * The newest checkpoint that reads cleanly; each damaged newer one is reported through `warn`
 * and skipped. Null when there is none.
 */
export function latestGoodCheckpoint(modelDir: string, warn: (message: string) => void): (CheckpointData & { path: string }) | null {
  for (const { path } of listCheckpoints(modelDir)) {
    try {
      return { ...readCheckpoint(path), path };
    } catch (e) {
      warn(`Estimator: skipping the damaged checkpoint '${path}' (${(e as Error).message}); falling back to the previous checkpoint.`);
    }
  }
  return null;
}

