/**
 * Strides of `shape` aligned to `outShape` (right-aligned, 0 where the input is broadcast).
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = i + rank - shape.length;
    strides[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * For every element of `outShape` in row-major order, the flat offsets into each broadcast input.
 * Returns one Int32Array per input. Used by the reference kernels' general (slow) paths.
 */
export function broadcastOffsets(inputs: readonly (readonly number[])[], outShape: readonly number[]): Int32Array[] {
  let size = 1;
  for (const d of outShape) size *= d;
  const rank = outShape.length;
  const strides = inputs.map((s) => broadcastStrides(s, outShape));
  const result = inputs.map(() => new Int32Array(size));
  const idx = new Array<number>(rank).fill(0);
  const offs = new Array<number>(inputs.length).fill(0);
  for (let n = 0; n < size; n++) {
    for (let k = 0; k < inputs.length; k++) result[k]![n] = offs[k]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < inputs.length; k++) offs[k]! += strides[k]![d]!;
      if (idx[d]! < outShape[d]!) break;
      for (let k = 0; k < inputs.length; k++) offs[k]! -= strides[k]![d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return result;
}
