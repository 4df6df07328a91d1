/** Validation helpers shared by the shape/layout ops (shape-*.ts). */
import type { DType } from '../core/dtype.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape, stridesOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import type { TensorSpec } from './engine.js';

/**
 * A private deep copy of a list argument: tapes keep op attributes, so later edits by the caller
 * must not reach them. Anything else passes through for `infer` to judge.
 */
export function snapshot<T>(value: T): T {
  return (Array.isArray(value) ? value.map((v: unknown) => snapshot(v)) : value) as T;
}

/** Throws unless `value` is an array of integers (of length `length`, when given). */
export function assertIntArray(op: string, what: string, value: unknown, length?: number): asserts value is number[] {
  if (!Array.isArray(value) || value.some((v) => !Number.isInteger(v))) {
    throw new InvalidArgumentError(`${op}: ${what} must be an array of integers, got ${JSON.stringify(value)}.`);
  }
  if (length !== undefined && value.length !== length) {
    throw new InvalidArgumentError(
      `${op}: ${what} must have one entry per dimension (${length}), got ${value.length}: ${JSON.stringify(value)}.`,
    );
  }
}

/** Throws a DTypeError unless every spec has the dtype of the first. */
export function assertSameDTypes(op: string, specs: readonly TensorSpec[], names: (i: number) => string): DType {
  const dtype = specs[0]!.dtype;
  specs.forEach((s, i) => {
    if (s.dtype !== dtype) {
      throw new DTypeError(
        `${op}: all tensors must have the same dtype, but ${names(0)} is ${dtype} and ${names(i)} is ${s.dtype}; cast them with nb.cast(x, '${dtype}').`,
      );
    }
  });
  return dtype;
}

/** Throws a ShapeError unless `a` and `b` agree on dims [from, to). */
export function assertSameDims(op: string, a: TensorSpec, aName: string, b: TensorSpec, bName: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (a.shape[i] !== b.shape[i]) {
      throw new ShapeError(
        `${op}: ${aName} has shape ${formatShape(a.shape)} and ${bName} has shape ${formatShape(b.shape)}; they must agree on dimension ${i}.`,
      );
    }
  }
}

/** Formats the position of flat element `flat` of a tensor of `shape`, e.g. "[1,0]" ("" for a scalar). */
function formatPosition(flat: number, shape: readonly number[]): string {
  if (shape.length === 0) return '';
  const strides = stridesOf(shape);
  return `[${strides.map((s, i) => Math.floor(flat / s) % shape[i]!).join(',')}]`;
}

/**
 * Checks that every index is in [0, size) before a gather-like kernel reads memory with it.
 * The error names the op, the offending position and value, and the valid range.
 */
export function assertIndicesInRange(op: string, indices: Tensor, size: number, context: string): void {
  const v = indices.values;
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    if (k < 0 || k >= size) {
      throw new InvalidArgumentError(
        `${op}: indices${formatPosition(i, indices.shape)} = ${k} is out of range for ${context}; indices must be in [0, ${size}).`,
      );
    }
  }
}

/**
 * Checks N-d indices (last dim k) against the leading k dims of `shape`, for gatherND/scatterND.
 */
export function assertNDIndicesInRange(op: string, indices: Tensor, shape: readonly number[], shapeName: string): void {
  const v = indices.values;
  const k = indices.shape[indices.shape.length - 1]!;
  for (let i = 0; i < v.length; i++) {
    const dim = i % k;
    const value = v[i]!;
    if (value < 0 || value >= shape[dim]!) {
      const row = i - dim;
      const tuple = Array.from(v.subarray(row, row + k)).join(', ');
      const position = indices.shape.length === 1 ? '[' : `${formatPosition(row / k, indices.shape.slice(0, -1)).slice(0, -1)},`;
      throw new InvalidArgumentError(
        `${op}: indices${position}:] = [${tuple}] is out of bounds for ${shapeName} of shape ${formatShape(shape)}: ` +
          `component ${dim} is ${value} but must be in [0, ${shape[dim]}).`,
      );
    }
  }
}

/** Normalises a permutation, allowing negative entries; throws unless it is one. */
export function normalizePermutation(op: string, perm: readonly number[], rank: number): number[] {
  assertIntArray(op, 'perm', perm, rank);
  const out = perm.map((p) => (p < 0 ? p + rank : p));
  const seen = new Set<number>();
  for (const p of out) {
    if (p < 0 || p >= rank || seen.has(p)) {
      throw new InvalidArgumentError(
        `${op}: perm ${JSON.stringify(perm)} is not a permutation of the ${rank} dimensions; list each of 0..${rank - 1} exactly once.`,
      );
    }
    seen.add(p);
  }
  return out;
}
