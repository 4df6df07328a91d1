import { InvalidArgumentError, ShapeError } from './errors.js';

export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(',')}]`;
}

export function sizeOfShape(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Validates a user-given shape: non-negative integers only. */
export function assertValidShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) {
    throw new InvalidArgumentError(`${op}: shape must be an array of non-negative integers, got ${String(shape)}.`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(
        `${op}: shape must hold non-negative integers, got ${JSON.stringify(shape)}.`,
      );
    }
  }
}

/**
 * NumPy/TensorFlow broadcasting: align trailing dims; each pair must be equal or one of them 1.
 * Unknown dims (-1) broadcast to unknown.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)]!;
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)]!;
    if (da === db) out[i] = da;
    else if (da === 1) out[i] = db;
    else if (db === 1) out[i] = da;
    else if (da < 0 || db < 0) out[i] = Math.max(da, db);
    else {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(dimension ${i} is ${da} vs ${db}). Each trailing dimension must match or be 1; ` +
          `reshape or expandDims one operand.`,
      );
    }
  }
  return out;
}

/** Resolves a possibly negative axis against `rank`, throwing a clear error when out of range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new InvalidArgumentError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank}; expected an integer in [${-rank}, ${Math.max(rank - 1, 0)}].`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Resolves `axis` (undefined = all axes) to a sorted, de-duplicated list of non-negative axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined | null, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = new Set<number>();
  for (const a of list) {
    if (rank === 0 && (a === 0 || a === -1)) continue;
    out.add(normalizeAxis(op, a, rank));
  }
  return [...out].sort((x, y) => x - y);
}
