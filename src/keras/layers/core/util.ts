// Helpers shared by the core layers (not exported from the barrel).
import { InvalidArgumentError } from '../../../core/errors.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

/** Keras-style shape text: `(None, 3, 4)`. */
export function showShape(shape: SymbolicShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** Product of the dims, or null when one is unknown. */
export function knownSize(dims: SymbolicShape): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** Throws unless `value` is a finite number; returns it. */
export function finiteNumber(layer: string, what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${layer}: ${what} must be a finite number, got ${String(value)}.`);
  }
  return value;
}

/** Throws unless `seed` is undefined/null or a finite number. */
export function checkSeed(layer: string, seed: unknown): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  return finiteNumber(layer, 'seed', seed);
}

/**
 * The op seed for the `callIndex`-th random call of a layer created with `seed`. A fixed op seed
 * alone would repeat the same noise at every call (op-seeded streams depend only on the global and
 * op seeds), so the seed is mixed with the layer's call counter: a seeded layer draws a fresh,
 * reproducible mask per call, as Keras's seeded layers do. Unseeded layers use the global stream.
 */
export function callSeed(seed: number | undefined, callIndex: number): number | undefined {
  if (seed === undefined) return undefined;
  if (callIndex === 0) return seed;
  let h = ((Math.trunc(seed) >>> 0) ^ Math.imul(callIndex, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
