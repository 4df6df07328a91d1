import { FailedPreconditionError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { encodePng } from '../data/image/png.js';
import type { SummaryValue } from './event.js';

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

export function checkName(op: string, name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError(`${op}: the name must be a non-empty string such as 'loss', got ${JSON.stringify(name) ?? String(name)}.`);
  }
  return name;
}

export function checkStep(op: string, step: unknown): number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new InvalidArgumentError(`${op}: step must be an integer >= 0 (the epoch or batch number), got ${String(step)}.`);
  }
  return step;
}

export function checkOpen(op: string, closed: boolean, logdir: string): void {
  if (closed) throw new FailedPreconditionError(`${op}: the summary writer for '${logdir}' is closed; create a new one with nb.summary.createFileWriter(logdir).`);
}

/** A number from a number or a one-element tensor. */
export function scalarValue(op: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Tensor) {
    if (value.size !== 1) {
      throw new ShapeError(`${op}: expected a scalar (a number, or a tensor of shape [] or one element), got a tensor of shape ${shapeText(value.shape)}; reduce it first, e.g. nb.mean(x).`);
    }
    return Number(value.values[0]);
  }
  throw new InvalidArgumentError(`${op}: expected a number or a scalar tensor, got ${value === null ? 'null' : typeof value}.`);
}

/** The values of a tensor or array of numbers. */
export function numericValues(op: string, value: unknown): ArrayLike<number> {
  if (value instanceof Tensor) {
    if (value.dtype === 'bool') throw new InvalidArgumentError(`${op}: expected a numeric tensor, got a bool tensor; cast it with nb.cast(x, 'float32').`);
    return value.values;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return value as unknown as ArrayLike<number>;
  throw new InvalidArgumentError(`${op}: expected a tensor or an array of numbers, got ${value === null ? 'null' : typeof value}.`);
}

/**
 * Summary values for images: [h, w], [h, w, c] or [k, h, w, c] with 1-4 channels; float32 in
 * [0, 1] (scaled by 255 and clipped, like tf.summary.image) or int32 in [0, 255].
 */
export function imageValues(op: string, tag: string, images: unknown, maxOutputs: number): SummaryValue[] {
  if (!(images instanceof Tensor)) throw new InvalidArgumentError(`${op}: expected an image tensor, got ${images === null ? 'null' : typeof images}.`);
  if (!Number.isInteger(maxOutputs) || maxOutputs < 1) throw new InvalidArgumentError(`${op}: maxOutputs must be an integer >= 1, got ${maxOutputs}.`);
  const s = images.shape;
  const expected = 'an image of shape [height, width], [height, width, channels] or a batch [k, height, width, channels] with 1 to 4 channels';
  const dims = s.length === 2 ? [1, s[0]!, s[1]!, 1] : s.length === 3 ? [1, s[0]!, s[1]!, s[2]!] : s.length === 4 ? [...s] : null;
  if (!dims || dims[3]! < 1 || dims[3]! > 4 || dims[1] === 0 || dims[2] === 0) {
    throw new ShapeError(`${op}: expected ${expected}, got shape ${shapeText(s)}; reshape it (e.g. nb.expandDims(x, -1) for [h, w] grayscale) or pick channels with nb.slice.`);
  }
  if (images.dtype !== 'float32' && images.dtype !== 'int32') {
    throw new InvalidArgumentError(`${op}: expected float32 values in [0, 1] or int32 in [0, 255], got dtype ${images.dtype}; cast it with nb.cast(x, 'float32').`);
  }
  const [k, h, w, c] = dims as [number, number, number, number];
  const per = h * w * c;
  const src = images.values;
  const out: SummaryValue[] = [];
  const n = Math.min(k, maxOutputs);
  for (let i = 0; i < n; i++) {
    const px = new Int32Array(per);
    for (let j = 0; j < per; j++) {
      const v = src[i * per + j]!;
      if (images.dtype === 'float32') px[j] = Number.isNaN(v) ? 0 : Math.min(255, Math.max(0, Math.round(v * 255)));
      else if (v < 0 || v > 255) {
        throw new InvalidArgumentError(`${op}: int32 pixel values must lie in [0, 255], got ${v}; clip with nb.clipByValue(x, 0, 255), or pass float32 in [0, 1].`);
      } else px[j] = v;
    }
    const png = encodePng(new Tensor([h, w, c], 'int32', px), { compression: 6 });
    out.push({ tag: k === 1 ? tag : `${tag}/image/${i}`, kind: 'image', height: h, width: w, channels: c, png });
  }
  return out;
}
