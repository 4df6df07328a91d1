import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { broadcastShapes, formatShape, normalizeAxis, shapesEqual, sizeOfShape, type Shape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { viewValues } from '../core/variable.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { sumToShape } from './grad-util.js';

/** Resolves one -1 in `shape` against `size` elements, validating the rest. */
function resolveShape(shape: Shape, size: number, inShape: Shape): number[] {
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) throw new ShapeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}.`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(`reshape: dimensions must be non-negative integers or -1, got ${JSON.stringify(shape)}.`);
    } else known *= d;
  });
  const out = shape.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape a tensor of shape ${formatShape(inShape)} (${size} elements) into ${formatShape(shape)}: ${size} is not a multiple of ${known}.`,
      );
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `reshape: cannot reshape a tensor of shape ${formatShape(inShape)} (${size} elements) into ${formatShape(shape)} (${known} elements); the sizes must match (use -1 for one inferred dimension).`,
    );
  }
  return out;
}

const reshapeOp: OpDef<{ shape: Shape }> = {
  name: 'reshape',
  infer([x], { shape }) {
    return [{ shape: resolveShape(shape, sizeOfShape(x!.shape), x!.shape), dtype: x!.dtype }];
  },
  forward([x], [spec]) {
    return [new Tensor(spec!.shape, x!.dtype, viewValues(x!))];
  },
  grad: ([dy], [x]) => [reshape(dy!, x!.shape)],
};

/**
 * Same values, new shape (one dimension may be -1). Shares memory with `x`.
 * @example `nb.reshape(nb.range(6), [2, 3])`
 */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  const t = toTensor(x, 'reshape', 'x');
  if (shapesEqual(t.shape, shape)) return t;
  return runOp1(reshapeOp, [t], { shape });
}

/** Inserts a dimension of size 1 at `axis`. @example `nb.expandDims(nb.zeros([3]), 0)` → shape [1,3] */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, 'expandDims', 'x');
  const a = normalizeAxis('expandDims', axis, t.rank + 1);
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/**
 * Removes dimensions of size 1 (all of them, or those in `axis`).
 * @example `nb.squeeze(nb.zeros([1, 3, 1]))` → shape [3]
 */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const t = toTensor(x, 'squeeze', 'x');
  let drop: Set<number>;
  if (axis === undefined) {
    drop = new Set(t.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    drop = new Set((typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('squeeze', a, t.rank)));
    for (const a of drop) {
      if (t.shape[a] !== 1) {
        throw new ShapeError(`squeeze: cannot squeeze axis ${a} of shape ${formatShape(t.shape)}: its size is ${t.shape[a]}, not 1.`);
      }
    }
  }
  return reshape(t, t.shape.filter((_, i) => !drop.has(i)));
}

const ONE = new Tensor([], 'bool', new Uint8Array([1]));
const ONE_F32 = new Tensor([], 'float32', new Float32Array([1]));

const broadcastToOp: OpDef<{ shape: Shape }> = {
  name: 'broadcastTo',
  infer([x], { shape }) {
    const out = broadcastShapes('broadcastTo', x!.shape, shape);
    if (!shapesEqual(out, shape)) {
      throw new ShapeError(`broadcastTo: cannot broadcast shape ${formatShape(x!.shape)} to ${formatShape(shape)}; the result would be ${formatShape(out)}.`);
    }
    return [{ shape: out, dtype: x!.dtype }];
  },
  kernel([x], [out]) {
    // x·1 is exact (keeps -0 and NaN) and runs on the fast broadcasting binary kernel.
    if (x!.dtype === 'float32') kernels().binary('mul', x!, ONE_F32, out!);
    else kernels().where(ONE, x!, x!, out!);
  },
  grad: ([dy], [x]) => [sumToShape(dy!, x!.shape)],
};

/** Broadcasts `x` to `shape` (a copy). @example `nb.broadcastTo(nb.tensor([1, 2]), [3, 2])` */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  const t = toTensor(x, 'broadcastTo', 'x');
  if (shapesEqual(t.shape, shape)) return t;
  return runOp1(broadcastToOp, [t], { shape });
}
