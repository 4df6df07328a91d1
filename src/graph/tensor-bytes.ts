import { allocArray, type DType } from '../core/dtype.js';
import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

/** Where a tensor's bytes sit in a weights buffer: little-endian, row-major, 4-byte aligned. */
export interface TensorEntry {
  dtype: DType;
  shape: number[];
  offset: number;
  byteLength: number;
}

/** Appends tensors to one little-endian byte buffer. */
export class WeightsWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  add(t: Tensor): TensorEntry {
    const bytes = new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength).slice();
    const entry: TensorEntry = { dtype: t.dtype, shape: [...t.shape], offset: this.length, byteLength: bytes.length };
    this.chunks.push(bytes);
    this.length += bytes.length;
    const pad = (4 - (bytes.length % 4)) % 4;
    if (pad > 0) {
      this.chunks.push(new Uint8Array(pad));
      this.length += pad;
    }
    return entry;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** Reads a tensor described by `e` out of `weights` (copying, so the buffer can be dropped). */
export function readTensor(weights: Uint8Array, e: TensorEntry, what: string): Tensor {
  if (e.offset < 0 || e.offset + e.byteLength > weights.length) {
    throw new InvalidArgumentError(
      `${what}: the weights file is too short (${weights.length} bytes) for bytes ${e.offset}..${e.offset + e.byteLength}; it is truncated or belongs to another graph.`,
    );
  }
  const arr = allocArray(e.dtype, e.shape.reduce((a, b) => a * b, 1));
  if (arr.byteLength !== e.byteLength) {
    throw new InvalidArgumentError(`${what}: ${e.byteLength} bytes cannot hold a ${e.dtype} tensor of shape [${e.shape.join(',')}].`);
  }
  new Uint8Array(arr.buffer).set(weights.subarray(e.offset, e.offset + e.byteLength));
  return new Tensor(e.shape, e.dtype, arr);
}
