import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import type { DType } from '../../core/dtype.js';
import { Tensor } from '../../core/tensor.js';

/**
 * nabla's single-file container (docs/FORMATS.md): 8-byte magic, uint32 LE header length, a JSON
 * header, zero padding to 8 bytes, then the tensors' raw little-endian bytes, each 8-byte aligned.
 */
export const MAGIC = Buffer.from('NABLA\0F1', 'latin1');

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: DType;
  /** Byte offset from the start of the data section. */
  offset: number;
  byteLength: number;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Lays out `tensors` and returns the header entries plus the data section. */
export function packTensors(tensors: readonly { name: string; tensor: Tensor }[]): { entries: TensorEntry[]; data: Buffer } {
  let offset = 0;
  const entries = tensors.map(({ name, tensor }) => {
    const byteLength = tensor.values.byteLength;
    const entry: TensorEntry = { name, shape: [...tensor.shape], dtype: tensor.dtype, offset, byteLength };
    offset = align8(offset + byteLength);
    return entry;
  });
  const data = Buffer.alloc(offset);
  tensors.forEach(({ tensor }, i) => {
    const v = tensor.values;
    Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(data, entries[i]!.offset);
  });
  return { entries, data };
}

/** Writes header + data to `path` atomically: a temporary file in the same folder, fsync, rename. */
export function writeContainer(path: string, header: Record<string, unknown>, data: Buffer): void {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align8(MAGIC.length + 4 + json.length));
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(json.length, MAGIC.length);
  json.copy(prefix, MAGIC.length + 4);
  const dir = dirname(path);
  if (!existsSync(dir)) throw new NotFoundError(`save: the folder '${dir}' does not exist; create it first.`);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

export interface Container {
  header: Record<string, unknown>;
  /** Reads a tensor described by a header entry (a copy). */
  tensor(entry: TensorEntry): Tensor;
}

const ARRAYS = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** Reads and validates a container file; a truncated or foreign file is a clear error. */
export function readContainer(path: string, what: string): Container {
  if (!existsSync(path)) throw new NotFoundError(`${what}: no file at '${path}'.`);
  const buf = readFileSync(path);
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new InvalidArgumentError(`${what}: '${path}' is not a nabla file (wrong magic bytes); save it with model.save() or model.saveWeights().`);
  }
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > buf.length) throw new InvalidArgumentError(`${what}: '${path}' is truncated (the header runs past the end of the file).`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(MAGIC.length + 4, headerEnd).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InvalidArgumentError(`${what}: '${path}' has a corrupt header (invalid JSON).`);
  }
  const dataStart = align8(headerEnd);
  return {
    header,
    tensor(entry: TensorEntry): Tensor {
      const Arr = ARRAYS[entry.dtype];
      const size = entry.shape.reduce((a, b) => a * b, 1);
      const start = dataStart + entry.offset;
      if (!Arr || entry.byteLength !== size * Arr.BYTES_PER_ELEMENT || start + entry.byteLength > buf.length) {
        throw new InvalidArgumentError(`${what}: '${path}' is truncated or corrupt at tensor '${entry.name}'.`);
      }
      const copy = new Uint8Array(entry.byteLength);
      copy.set(buf.subarray(start, start + entry.byteLength));
      return new Tensor(entry.shape, entry.dtype, new Arr(copy.buffer));
    },
  };
}
