import { assertDTypeIn } from '../core/dtype.js';
import { InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape, normalizeAxis, shapesEqual, type Shape } from '../core/shape.js';
import { nextStream } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { fusedSparseSoftmaxCrossEntropy } from './softmax-ce.js';
import { isBuildingGraph, runOp1, type OpDef } from './engine.js';
import { toTensor, type TensorLike } from './creation.js';
import { FLOAT } from './dtype-sets.js';
import { add, mul, neg, sub } from './arithmetic.js';
import { exp, log1p, rsqrt, square } from './unary.js';
import { greaterEqual, where } from './logical.js';
import { sum } from './reduction.js';
import { maximum } from './binary-math.js';
import { transpose } from './shape-ops.js';

/** Softmax-family ops work on float logits of rank >= 1, over the last axis. */
function inferLastAxisOp(name: string): OpDef<void>['infer'] {
  return ([x]) => {
    assertDTypeIn(name, 'logits', x!.dtype, FLOAT);
    if (x!.shape.length === 0) {
      throw new ShapeError(`${name}: logits must have rank >= 1 (the classes axis), got a scalar; reshape it to [1] or more.`);
    }
    return [{ shape: x!.shape, dtype: x!.dtype }];
  };
}

export const softmaxOp: OpDef<void> = {
  name: 'softmax',
  infer: inferLastAxisOp('softmax'),
  kernel([x], [out]) {
    kernels().softmax(x!, out!);
  },
  // Jacobian-vector product of softmax: y ⊙ (dy − Σ dy⊙y).
  grad: ([dy], _inputs, [y]) => [mul(y!, sub(dy!, sum(mul(dy!, y!), -1, true)))],
};

export const logSoftmaxOp: OpDef<void> = {
  name: 'logSoftmax',
  infer: inferLastAxisOp('logSoftmax'),
  kernel([x], [out]) {
    kernels().logSoftmax(x!, out!);
  },
  // exp(y) is the softmax: dx = dy − softmax ⊙ Σ dy.
  grad: ([dy], _inputs, [y]) => [sub(dy!, mul(exp(y!), sum(dy!, -1, true)))],
};

/** Runs a last-axis op along `axis` by moving that axis last and back again. */
function alongAxis(op: OpDef<void>, logits: TensorLike, axis: number): Tensor {
  const t = toTensor(logits, op.name, 'logits');
  if (t.rank === 0) return runOp1(op, [t], undefined); // infer() raises the error
  const a = normalizeAxis(op.name, axis, t.rank);
  if (a === t.rank - 1) return runOp1(op, [t], undefined);
  const perm = [...Array(t.rank).keys()].filter((d) => d !== a).concat(a);
  const inverse = new Array<number>(t.rank);
  perm.forEach((p, i) => (inverse[p] = i));
  return transpose(runOp1(op, [transpose(t, perm)], undefined), inverse);
}

/**
 * Softmax along `axis` (default the last): exp(x) / Σ exp(x), computed stably.
 *
 * @example
 * ```ts
 * nb.softmax(nb.tensor([1, 2, 3]));            // [0.090, 0.245, 0.665]
 * nb.softmax(nb.tensor([[1, 2], [3, 4]]), 0);  // columns sum to 1
 * ```
 */
export function softmax(logits: TensorLike, axis = -1): Tensor {
  return alongAxis(softmaxOp, logits, axis);
}

/**
 * log(softmax(x)) along `axis` (default the last), computed stably as x − max − log Σ exp(x − max).
 *
 * @example
 * ```ts
 * nb.logSoftmax(nb.tensor([1, 2, 3]));         // [-2.408, -1.408, -0.408]
 * ```
 */
export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  return alongAxis(logSoftmaxOp, logits, axis);
}

function assertSameShape(op: string, labels: Tensor, logits: Tensor): void {
  if (!shapesEqual(labels.shape, logits.shape)) {
    throw new ShapeError(
      `${op}: labels and logits must have the same shape, got labels ${formatShape(labels.shape)} and logits ${formatShape(logits.shape)}.`,
    );
  }
}

function floatInput(op: string, name: string, x: TensorLike): Tensor {
  const t = toTensor(x, op, name);
  assertDTypeIn(op, name, t.dtype, FLOAT);
  return t;
}

/**
 * Cross entropy between a probability distribution `labels` and `logits` along `axis`
 * (−Σ labels·logSoftmax(logits)), one loss per example. Gradients flow into both arguments,
 * as in TensorFlow 2; wrap labels in `nb.stopGradient` when they are targets.
 *
 * @example
 * ```ts
 * const loss = nb.softmaxCrossEntropyWithLogits({
 *   labels: nb.tensor([[0, 1, 0]]),
 *   logits: nb.tensor([[2, 1, 0.1]]),
 * }); // shape [1]
 * ```
 */
export function softmaxCrossEntropyWithLogits(
  { labels, logits }: { labels: TensorLike; logits: TensorLike },
  axis = -1,
): Tensor {
  const op = 'softmaxCrossEntropyWithLogits';
  const z = floatInput(op, 'labels', labels);
  const x = floatInput(op, 'logits', logits);
  assertSameShape(op, z, x);
  return neg(sum(mul(z, logSoftmax(x, axis)), axis));
}

function assertLabelsInRange(op: string, labels: { values: ArrayLike<number> }, classes: number): void {
  const v = labels.values;
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    if (k < 0 || k >= classes) {
      throw new InvalidArgumentError(
        `${op}: label ${k} at flat index ${i} is outside the valid range [0, ${classes}) for logits with ${classes} classes; labels must be class indices.`,
      );
    }
  }
}

/**
 * The label check of a graph (a trace or a Session graph), where labels have no values until it
 * runs: passes the labels through and checks them then. Exported for the graph op catalogue. @internal
 */
export const labelRangeOp: OpDef<{ op: string; classes: number }> = {
  name: 'checkLabelRange',
  infer: ([z]) => [{ shape: z!.shape, dtype: z!.dtype }],
  kernel([z], [out], { op, classes }) {
    assertLabelsInRange(op, z!, classes);
    out!.values.set(z!.values);
  },
  grad: 'nondifferentiable',
};

/**
 * Cross entropy between integer class `labels` (int32, shape = logits' shape without its last
 * axis) and `logits` (classes last), one loss per example.
 *
 * @example
 * ```ts
 * const loss = nb.sparseSoftmaxCrossEntropyWithLogits({
 *   labels: nb.tensor([1, 0], [2], 'int32'),
 *   logits: nb.tensor([[2, 1, 0.1], [0.5, 0.2, 3]]),
 * }); // shape [2]
 * ```
 */
export function sparseSoftmaxCrossEntropyWithLogits({ labels, logits }: { labels: TensorLike; logits: TensorLike }): Tensor {
  const op = 'sparseSoftmaxCrossEntropyWithLogits';
  const x = floatInput(op, 'logits', logits);
  const z = toTensor(labels, op, 'labels', 'int32');
  assertDTypeIn(op, 'labels', z.dtype, ['int32']);
  if (x.rank === 0 || !shapesEqual(z.shape, x.shape.slice(0, -1))) {
    throw new ShapeError(
      `${op}: labels must have the shape of logits without the last (classes) axis: logits ${formatShape(x.shape)} needs labels ${x.rank === 0 ? '(logits must have rank >= 1)' : formatShape(x.shape.slice(0, -1))}, got ${formatShape(z.shape)}.`,
    );
  }
  const classes = x.shape[x.rank - 1]!;
  let checked = z;
  if (isBuildingGraph()) checked = runOp1(labelRangeOp, [z], { op, classes });
  else assertLabelsInRange(op, z, classes);
  return fusedSparseSoftmaxCrossEntropy(x, checked);
}

/**
 * Element-wise logistic loss of `logits` against targets `labels` in [0, 1], computed stably as
 * max(x, 0) − x·z + log(1 + exp(−|x|)).
 *
 * @example
 * ```ts
 * nb.sigmoidCrossEntropyWithLogits({labels: nb.tensor([1, 0]), logits: nb.tensor([2, -1])});
 * ```
 */
export function sigmoidCrossEntropyWithLogits({ labels, logits }: { labels: TensorLike; logits: TensorLike }): Tensor {
  const op = 'sigmoidCrossEntropyWithLogits';
  const z = floatInput(op, 'labels', labels);
  const x = floatInput(op, 'logits', logits);
  assertSameShape(op, z, x);
  // Selecting with where (not relu/abs) keeps the derivative at x = 0 equal to sigmoid(0) − z.
  const nonNegative = greaterEqual(x, 0);
  const reluLogits = where(nonNegative, x, 0);
  const negAbsLogits = where(nonNegative, neg(x), x);
  return add(sub(reluLogits, mul(x, z)), log1p(exp(negAbsLogits)));
}

/** Whether `from` broadcasts to exactly `to` (trailing dims equal or 1, no extra leading dims). */
function broadcastsTo(from: Shape, to: Shape): boolean {
  const lead = to.length - from.length;
  return lead >= 0 && from.every((d, i) => d === 1 || d === to[i + lead]);
}

function assertBroadcastsTo(op: string, name: string, p: Tensor, shape: Shape): void {
  if (!broadcastsTo(p.shape, shape)) {
    throw new ShapeError(
      `${op}: ${name} has shape ${formatShape(p.shape)}, which does not broadcast to x's shape ${formatShape(shape)}; give it the shape of x's channels (e.g. ${formatShape(shape.slice(-1))}) or of moments with keepDims.`,
    );
  }
}

/**
 * Normalises `x` with the given statistics: (x − mean)·scale / sqrt(variance + ε) + offset.
 * All statistics broadcast against `x` (usually per channel, shape [C]).
 *
 * @example
 * ```ts
 * const {mean, variance} = nb.moments(x, [0]);
 * const y = nb.batchNormalization(x, mean, variance, beta, gamma, 1e-3);
 * ```
 */
export function batchNormalization(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike | null,
  scale?: TensorLike | null,
  varianceEpsilon = 1e-3,
): Tensor {
  const op = 'batchNormalization';
  if (!(varianceEpsilon >= 0) || !Number.isFinite(varianceEpsilon)) {
    throw new InvalidArgumentError(`${op}: varianceEpsilon must be a finite number >= 0, got ${varianceEpsilon}.`);
  }
  const tx = floatInput(op, 'x', x);
  const stat = (name: string, v: TensorLike): Tensor => {
    const t = floatInput(op, name, v);
    assertBroadcastsTo(op, name, t, tx.shape);
    return t;
  };
  const m = stat('mean', mean);
  let inv = rsqrt(add(stat('variance', variance), varianceEpsilon));
  if (scale !== undefined && scale !== null) inv = mul(inv, stat('scale', scale));
  const shift = offset !== undefined && offset !== null ? sub(stat('offset', offset), mul(m, inv)) : neg(mul(m, inv));
  return add(mul(tx, inv), shift);
}

/**
 * Divides `x` by its L2 norm along `axis` (all axes when omitted): x / sqrt(max(Σx², ε)).
 *
 * @example
 * ```ts
 * nb.l2Normalize(nb.tensor([3, 4]));             // [0.6, 0.8]
 * nb.l2Normalize(nb.tensor([[3, 4], [1, 0]]), 1); // each row has norm 1
 * ```
 */
export function l2Normalize(x: TensorLike, axis?: number | number[] | null, epsilon = 1e-12): Tensor {
  const t = floatInput('l2Normalize', 'x', x);
  if (!(epsilon >= 0)) throw new InvalidArgumentError(`l2Normalize: epsilon must be >= 0, got ${epsilon}.`);
  return mul(t, rsqrt(maximum(sum(square(t), axis, true), epsilon)));
}

export interface DropoutOptions {
  /** Shape of the random keep/drop mask, broadcast over `x` (dims equal to x's or 1). */
  noiseShape?: readonly number[];
  /** Op-level seed; with the global seed (`setSeed`) it fixes the mask. */
  seed?: number;
}

function resolveNoiseShape(x: Tensor, noiseShape: readonly number[] | undefined): number[] {
  if (noiseShape === undefined) return x.shape.slice();
  const ok = noiseShape.length === x.rank && noiseShape.every((d, i) => d === x.shape[i] || d === 1);
  if (!ok) {
    throw new ShapeError(
      `dropout: noiseShape ${formatShape(noiseShape)} must have x's rank (${x.rank}) with each dim equal to x's or 1; x has shape ${formatShape(x.shape)}.`,
    );
  }
  return noiseShape.slice();
}

/**
 * The dropout mask: 0 with probability `rate`, else 1/(1 − rate). An op with no inputs (like the
 * random ops) so that inside a graph or nb.function it draws a fresh mask at every run rather
 * than being recorded as one constant. Exported for the graph op catalogue. @internal
 */
export const keepMaskOp: OpDef<{ shape: number[]; rate: number; seed: number | undefined }> = {
  name: 'dropoutMask',
  infer: (_inputs, { shape }) => [{ shape, dtype: 'float32' }],
  kernel(_inputs, [mask], { rate, seed }) {
    const key = nextStream(seed).freshKey()!;
    kernels().philoxKeepMask(mask!.values as Float32Array, key[0], key[1], rate, 1 / (1 - rate));
  },
  grad: 'nondifferentiable',
};

function keepMask(shape: number[], rate: number, seed: number | undefined): Tensor {
  return runOp1(keepMaskOp, [], { shape, rate, seed });
}

/**
 * Randomly sets a fraction `rate` of the elements to 0 and scales the rest by 1/(1 − rate), so
 * the expected sum is unchanged. With `noiseShape`, whole slices are kept or dropped together.
 *
 * @example
 * ```ts
 * nb.dropout(x, 0.5, {seed: 1});
 * nb.dropout(images, 0.2, {noiseShape: [32, 1, 1, 64]});   // drop whole channels
 * ```
 */
export function dropout(x: TensorLike, rate: number, options: DropoutOptions = {}): Tensor {
  const t = floatInput('dropout', 'x', x);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new InvalidArgumentError(
      `dropout: rate must be a number in [0, 1) (the fraction of elements dropped), got ${String(rate)}.`,
    );
  }
  const shape = resolveNoiseShape(t, options.noiseShape);
  if (rate === 0) return t;
  return mul(t, keepMask(shape, rate, options.seed));
}
