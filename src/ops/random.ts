/**
 * Random ops. They all draw from one Philox stream per call (`nextStream`), so `setSeed(n)`
 * makes a run bit-reproducible. The numbers are produced here rather than by a backend kernel:
 * Philox is counter-based and defined bit-exactly in `core/random.ts`, so every backend would
 * produce the same values anyway.
 */
import { assertDTypeIn, type DType, type TypedArray } from '../core/dtype.js';
import { DTypeError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import { assertValidShape, formatShape, type Shape } from '../core/shape.js';
import { nextStream, type PhiloxStream } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { FLOAT } from './dtype-sets.js';

interface GeneratorAttrs {
  shape: number[];
  dtype: DType;
  seed: number | undefined;
}

type Generator<A> = (out: TypedArray, stream: PhiloxStream, attrs: A) => void;

/** An op with no inputs whose output is filled from a fresh random stream at every run. */
function generatorOpDef<A extends GeneratorAttrs>(name: string, generate: Generator<A>): OpDef<A> {
  return {
    name,
    infer: (_inputs, { shape, dtype }) => [{ shape, dtype }],
    kernel: (_inputs, [out], attrs) => generate(out!.values, nextStream(attrs.seed), attrs),
    grad: 'nondifferentiable',
  };
}

function assertFiniteNumbers(op: string, args: Record<string, number>): void {
  for (const [name, v] of Object.entries(args)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${op}: ${name} must be a finite number, got ${String(v)}.`);
    }
  }
}

function validShape(op: string, shape: Shape): number[] {
  assertValidShape(op, shape);
  return shape.slice();
}

function assertSeed(op: string, seed: number | undefined): void {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new InvalidArgumentError(`${op}: seed must be a finite number or undefined, got ${String(seed)}.`);
  }
}

const scratch32 = new Float32Array(1);
const scratchBits = new Int32Array(scratch32.buffer);

/** The largest float32 strictly below `x` (keeps rounded uniform samples out of maxval). */
function largestFloat32Below(x: number): number {
  const r = Math.fround(x);
  if (r < x) return r;
  scratch32[0] = r;
  if (r > 0) scratchBits[0]!--;
  else if (r < 0) scratchBits[0]!++;
  else scratchBits[0] = 0x80000001 | 0; // the negative float closest to zero
  return scratch32[0]!;
}

interface UniformAttrs extends GeneratorAttrs {
  minval: number;
  maxval: number;
}

const randomUniformOp = generatorOpDef<UniformAttrs>('randomUniform', (out, stream, { dtype, minval, maxval }) => {
  if (dtype === 'int32') {
    const span = maxval - minval;
    for (let i = 0; i < out.length; i++) out[i] = minval + stream.nextInt(span);
    return;
  }
  const width = maxval - minval;
  const top = width > 0 ? largestFloat32Below(maxval) : minval;
  const key = stream.freshKey()!;
  kernels().philoxUniform(out as Float32Array, key[0], key[1], minval, width, top);
});

function assertUniformBounds(dtype: DType, minval: number, maxval: number): void {
  if (dtype === 'int32') {
    const inRange = minval >= -(2 ** 31) && maxval <= 2 ** 31;
    if (!Number.isInteger(minval) || !Number.isInteger(maxval) || !(minval < maxval) || !inRange) {
      throw new InvalidArgumentError(
        `randomUniform: int32 samples need integer bounds with -2^31 <= minval < maxval <= 2^31, got minval=${minval}, maxval=${maxval}.`,
      );
    }
  } else if (!(minval <= maxval)) {
    throw new InvalidArgumentError(`randomUniform: minval (${minval}) must be <= maxval (${maxval}).`);
  }
}

/**
 * Uniform samples in [minval, maxval): float32, or int32 (then both bounds must be integers).
 *
 * @example
 * ```ts
 * nb.randomUniform([2, 3]);                         // floats in [0, 1)
 * nb.randomUniform([10], -1, 1, 'float32', 42);     // with an op seed
 * nb.randomUniform([5], 0, 6, 'int32');             // dice rolls 0..5
 * ```
 */
export function randomUniform(shape: Shape, minval = 0, maxval = 1, dtype: DType = 'float32', seed?: number): Tensor {
  const op = 'randomUniform';
  assertDTypeIn(op, 'dtype', dtype, ['float32', 'int32']);
  assertFiniteNumbers(op, { minval, maxval });
  assertUniformBounds(dtype, minval, maxval);
  assertSeed(op, seed);
  return runOp1(randomUniformOp, [], { shape: validShape(op, shape), dtype, seed, minval, maxval });
}

interface NormalAttrs extends GeneratorAttrs {
  mean: number;
  stddev: number;
  /** Resample draws further than this many standard deviations from the mean. */
  truncateAt: number;
}

const normalOp = (name: string): OpDef<NormalAttrs> =>
  generatorOpDef<NormalAttrs>(name, (out, stream, { mean, stddev, truncateAt }) => {
    for (let i = 0; i < out.length; i++) {
      let z = stream.nextNormal();
      while (Math.abs(z) > truncateAt) z = stream.nextNormal();
      out[i] = mean + stddev * z;
    }
  });
const randomNormalOp = normalOp('randomNormal');
const truncatedNormalOp = normalOp('truncatedNormal');

function normalAttrs(op: string, shape: Shape, mean: number, stddev: number, dtype: DType, seed: number | undefined) {
  if (dtype !== 'float32') {
    throw new DTypeError(`${op}: dtype must be float32, got ${dtype}; cast the result if you need integers.`);
  }
  assertFiniteNumbers(op, { mean, stddev });
  if (stddev < 0) throw new InvalidArgumentError(`${op}: stddev must be >= 0, got ${stddev}.`);
  assertSeed(op, seed);
  return { shape: validShape(op, shape), dtype, seed, mean, stddev };
}

/**
 * Samples from a normal distribution N(mean, stddev²).
 *
 * @example
 * ```ts
 * nb.setSeed(0);
 * const w = nb.randomNormal([784, 128], 0, 0.05);
 * ```
 */
export function randomNormal(shape: Shape, mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  const attrs = normalAttrs('randomNormal', shape, mean, stddev, dtype, seed);
  return runOp1(randomNormalOp, [], { ...attrs, truncateAt: Infinity });
}

/**
 * Samples from a normal distribution N(mean, stddev²) with draws more than two standard
 * deviations from the mean discarded and redrawn (as TensorFlow's `truncated_normal`).
 *
 * @example
 * ```ts
 * const w = nb.truncatedNormal([3, 3, 16, 32], 0, 0.1);   // all within ±0.2
 * ```
 */
export function truncatedNormal(shape: Shape, mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  const attrs = normalAttrs('truncatedNormal', shape, mean, stddev, dtype, seed);
  return runOp1(truncatedNormalOp, [], { ...attrs, truncateAt: 2 });
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
function randomPermutation(n: number, stream: PhiloxStream): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = stream.nextInt(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

const randomShuffleOp: OpDef<{ seed: number | undefined }> = {
  name: 'randomShuffle',
  infer: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
  kernel([x], [out], { seed }) {
    const rows = x!.shape[0]!;
    const perm = randomPermutation(rows, nextStream(seed));
    const rowSize = rows === 0 ? 0 : x!.size / rows;
    for (let r = 0; r < rows; r++) {
      const from = perm[r]! * rowSize;
      out!.values.set(x!.values.subarray(from, from + rowSize), r * rowSize);
    }
  },
  grad: 'nondifferentiable',
};

/**
 * Shuffles `x` along its first axis (rows stay intact). A scalar is returned unchanged.
 *
 * @example
 * ```ts
 * nb.randomShuffle(nb.range(5), 7);   // e.g. [3, 0, 4, 1, 2]
 * ```
 */
export function randomShuffle(x: TensorLike, seed?: number): Tensor {
  const t = toTensor(x, 'randomShuffle', 'x');
  assertSeed('randomShuffle', seed);
  if (t.rank === 0) return t;
  return runOp1(randomShuffleOp, [t], { seed });
}

interface MultinomialAttrs {
  numSamples: number;
  seed: number | undefined;
  normalized: boolean;
}

/** Unnormalised class weights of one row: probabilities as given, or exp(logit − max). */
function rowWeights(values: TypedArray, start: number, classes: number, normalized: boolean, row: number): Float64Array {
  const w = new Float64Array(classes);
  let max = -Infinity;
  for (let j = 0; j < classes; j++) max = Math.max(max, values[start + j]!);
  for (let j = 0; j < classes; j++) {
    const v = values[start + j]!;
    w[j] = normalized ? v : v === -Infinity ? 0 : Math.exp(v - max);
    if (!(w[j]! >= 0) || !Number.isFinite(w[j]!)) {
      throw new InvalidArgumentError(
        `multinomial: row ${row} has an invalid ${normalized ? 'probability' : 'logit'} ${v} at class ${j}; ${normalized ? 'probabilities must be finite and >= 0' : 'logits must be finite or -Infinity'}.`,
      );
    }
  }
  return w;
}

/** Running sums of `w`; throws when they total 0 (nothing can be drawn). */
function cumulative(w: Float64Array, row: number): Float64Array {
  const cdf = new Float64Array(w.length);
  let acc = 0;
  for (let j = 0; j < w.length; j++) cdf[j] = acc += w[j]!;
  if (!(acc > 0)) {
    throw new InvalidArgumentError(`multinomial: row ${row} gives every class probability 0; at least one must be positive.`);
  }
  return cdf;
}

/** The first class whose cumulative weight exceeds `u` (classes of weight 0 are never chosen). */
function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const multinomialOp: OpDef<MultinomialAttrs> = {
  name: 'multinomial',
  infer([logits], { numSamples }) {
    assertDTypeIn('multinomial', 'logits', logits!.dtype, FLOAT);
    const shape = logits!.shape;
    if (shape.length !== 1 && shape.length !== 2) {
      throw new ShapeError(`multinomial: logits must be [classes] or [batch, classes], got shape ${formatShape(shape)}.`);
    }
    if (shape[shape.length - 1] === 0) {
      throw new InvalidArgumentError(`multinomial: logits have 0 classes (shape ${formatShape(shape)}); there is nothing to draw.`);
    }
    return [{ shape: shape.length === 1 ? [numSamples] : [shape[0]!, numSamples], dtype: 'int32' }];
  },
  kernel([logits], [out], { numSamples, seed, normalized }) {
    const classes = logits!.shape[logits!.shape.length - 1]!;
    const rows = logits!.size / classes;
    const stream = nextStream(seed);
    for (let r = 0; r < rows; r++) {
      const cdf = cumulative(rowWeights(logits!.values, r * classes, classes, normalized, r), r);
      const total = cdf[classes - 1]!;
      for (let s = 0; s < numSamples; s++) out!.values[r * numSamples + s] = searchCdf(cdf, stream.nextFloat() * total);
    }
  },
  grad: 'nondifferentiable',
};

/**
 * Draws `numSamples` class indices (int32) per row from the categorical distribution given by
 * `logits` ([classes] or [batch, classes]); with `normalized`, the values are probabilities.
 *
 * @example
 * ```ts
 * nb.multinomial(nb.tensor([[0, 0, 2]]), 5, 1);                    // shape [1, 5]
 * nb.multinomial(nb.tensor([0.2, 0.8]), 100, undefined, true);     // shape [100]
 * ```
 */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number, normalized = false): Tensor {
  if (!Number.isInteger(numSamples) || numSamples < 0) {
    throw new InvalidArgumentError(`multinomial: numSamples must be a non-negative integer, got ${numSamples}.`);
  }
  assertSeed('multinomial', seed);
  return runOp1(multinomialOp, [toTensor(logits, 'multinomial', 'logits')], { numSamples, seed, normalized });
}

/**
 * Draws class indices from logits, as `tf.random.categorical` (an alias of `multinomial` with
 * unnormalised logits).
 *
 * @example
 * ```ts
 * const actions = nb.categorical(policyLogits, 1);   // [batch, 1]
 * ```
 */
export function categorical(logits: TensorLike, numSamples: number, seed?: number): Tensor {
  return multinomial(logits, numSamples, seed, false);
}
