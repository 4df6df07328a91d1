import type { DType, TypedArray } from '../core/dtype.js';
import type { FusedProgram } from './fused-program.js';

/**
 * What a kernel sees of a tensor: plain row-major memory plus its shape and dtype.
 * Kernels read inputs and write into preallocated outputs; they never allocate tensors.
 */
export interface TensorData {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly values: TypedArray;
}

/** Element-wise functions of one tensor. `alpha`/`beta` carry parameters where the kind has them. */
export type UnaryKind =
  | 'neg' | 'abs' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'square' | 'reciprocal'
  | 'sigmoid' | 'tanh' | 'relu' | 'relu6' | 'elu' | 'selu' | 'leakyRelu' | 'softplus' | 'gelu'
  | 'sin' | 'cos' | 'sign' | 'floor' | 'ceil' | 'round' | 'clip' | 'logicalNot' | 'step'
  | 'expm1' | 'erf' | 'identity';

/** Element-wise functions of two tensors, with NumPy/TensorFlow broadcasting. */
export type BinaryKind =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'squaredDifference'
  | 'floorDiv' | 'mod' | 'reluGrad' | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'
  | 'logicalAnd' | 'logicalOr' | 'logicalXor';

export type ReduceKind = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'all' | 'any';

/** Geometry of a 2-D convolution or pooling window over NHWC input, resolved by the op. */
export interface Conv2DInfo {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Output channels (conv2d), or inChannels * channelMultiplier (depthwise), or inChannels (pool). */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  /** Depthwise only: output channels per input channel. */
  channelMultiplier: number;
}

export type PadMode = 'constant' | 'reflect' | 'symmetric';

/** Activations a fused kernel epilogue applies. */
export type FusedActivation = 'linear' | 'relu';

/** Element-wise, casting and selection kernels. */
export interface ElementwiseKernels {
  unary(kind: UnaryKind, x: TensorData, out: TensorData, alpha: number, beta: number): void;
  binary(kind: BinaryKind, a: TensorData, b: TensorData, out: TensorData): void;
  /** out = cond ? a : b, all three broadcast to out's shape. */
  where(cond: TensorData, a: TensorData, b: TensorData, out: TensorData): void;
  /** Converts values to out's dtype (float->int truncates toward zero, bool is x != 0). */
  cast(x: TensorData, out: TensorData): void;
}

/** Reductions and arg-reductions. */
export interface ReduceKernels {
  /** Reduces `x` over the sorted, unique `axes`; `out` has the remaining dims in order. */
  reduce(kind: ReduceKind, x: TensorData, axes: readonly number[], out: TensorData): void;
  /** Index of the max/min along `axis` (first occurrence wins); `out` is int32. */
  argReduce(kind: 'argMax' | 'argMin', x: TensorData, axis: number, out: TensorData): void;
}

/** Matrix products. */
export interface LinalgKernels {
  /** Batched matmul of rank >= 2 tensors; batch dims broadcast to out's batch dims. */
  matMul(a: TensorData, b: TensorData, out: TensorData, transposeA: boolean, transposeB: boolean): void;
}

/** Layout kernels: copies with a different arrangement of the same values. */
export interface ShapeKernels {
  transpose(x: TensorData, perm: readonly number[], out: TensorData): void;
  concat(xs: readonly TensorData[], axis: number, out: TensorData): void;
  /** out[i] = x[begin + i * strides] per dimension (strides may be negative); out's shape is the count. */
  stridedSlice(x: TensorData, begin: readonly number[], strides: readonly number[], out: TensorData): void;
  /** Gathers slices of `x` along `axis` at `indices` (int32), with `batchDims` leading batch dims. */
  gather(x: TensorData, indices: TensorData, axis: number, batchDims: number, out: TensorData): void;
  gatherND(x: TensorData, indices: TensorData, out: TensorData): void;
  /** out starts as a copy of `base` (or zeros when base is null); updates are added (accumulate) or written. */
  scatterND(base: TensorData | null, indices: TensorData, updates: TensorData, accumulate: boolean, out: TensorData): void;
  tile(x: TensorData, reps: readonly number[], out: TensorData): void;
  pad(x: TensorData, paddings: readonly (readonly [number, number])[], mode: PadMode, constantValue: number, out: TensorData): void;
  reverse(x: TensorData, axes: readonly number[], out: TensorData): void;
  /** out[..., i, ...] = (indices[...] == i) ? on : off, the new axis last. */
  oneHot(indices: TensorData, depth: number, onValue: number, offValue: number, out: TensorData): void;
}

/** Neural-network kernels over the last axis or NHWC images. */
export interface NNKernels {
  softmax(x: TensorData, out: TensorData): void;
  logSoftmax(x: TensorData, out: TensorData): void;
  /**
   * Fused sparse softmax cross-entropy: logits [N, C], int32 labels [N] (each in [0, C)) →
   * loss [N] = log Σ exp(logits) − logits[label] and probs [N, C] = softmax(logits).
   */
  sparseSoftmaxCrossEntropy(logits: TensorData, labels: TensorData, loss: TensorData, probs: TensorData): void;
  /**
   * Batch normalisation in training over the rows of x [M, C] (channels last): mean and biased
   * variance per channel [C], invStd = 1/sqrt(variance + epsilon), y = (x − mean)·invStd·gamma +
   * beta (gamma/beta null: 1 and 0).
   */
  batchNormTrain(
    x: TensorData, gamma: TensorData | null, beta: TensorData | null, epsilon: number,
    y: TensorData, mean: TensorData, variance: TensorData, invStd: TensorData,
  ): void;
  /**
   * Its gradient: with x̂ = (x − mean)·invStd, dbeta = Σ dy, dgamma = Σ dy·x̂ (over rows) and
   * dx = gamma·invStd·(dy − dbeta/M − x̂·dgamma/M).
   */
  batchNormTrainGrad(
    x: TensorData, dy: TensorData, mean: TensorData, invStd: TensorData, gamma: TensorData | null,
    dx: TensorData, dgamma: TensorData, dbeta: TensorData,
  ): void;
  conv2d(x: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void;
  conv2dBackpropInput(dy: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void;
  conv2dBackpropFilter(x: TensorData, dy: TensorData, out: TensorData, info: Conv2DInfo): void;
  depthwiseConv2d(x: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void;
  depthwiseConv2dBackpropInput(dy: TensorData, filter: TensorData, out: TensorData, info: Conv2DInfo): void;
  depthwiseConv2dBackpropFilter(x: TensorData, dy: TensorData, out: TensorData, info: Conv2DInfo): void;
  maxPool(x: TensorData, out: TensorData, info: Conv2DInfo): void;
  /** dx of maxPool: each window's dy goes to the (first) argmax position of x. */
  maxPoolGrad(dy: TensorData, x: TensorData, out: TensorData, info: Conv2DInfo): void;
  /** Average over the window positions inside the input (padding excluded from the count). */
  avgPool(x: TensorData, out: TensorData, info: Conv2DInfo): void;
  avgPoolGrad(dy: TensorData, out: TensorData, info: Conv2DInfo): void;
  /**
   * out = act(x + bias) with bias [C] along the last axis (null: no bias) and act 'linear' or
   * 'relu'. `out` may be `x` itself (the epilogue of a fused convolution).
   */
  biasActivation(x: TensorData, bias: TensorData | null, activation: FusedActivation, out: TensorData): void;
  resizeBilinear(x: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void;
  resizeBilinearGrad(dy: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void;
  resizeNearestNeighbor(x: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void;
  resizeNearestNeighborGrad(dy: TensorData, out: TensorData, alignCorners: boolean, halfPixelCenters: boolean): void;
}

/**
 * Every kernel a backend can provide. The reference (TypeScript) backend must implement all of
 * them — the compiler checks — while faster backends implement a `Partial` and fall back per kernel.
 */
/**
 * Fused optimizer updates over raw float32 arrays (one pass, no op dispatch). Slots are updated in
 * place; the new parameter values go to `out`, a separate array.
 */
export interface OptimizerKernels {
  /** Adam: m += (g-m)(1-β1); v += (g²-v)(1-β2); out = p - alpha·m/(sqrt(v)+ε). */
  adamUpdate(
    p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array,
    alpha: number, beta1: number, beta2: number, epsilon: number,
  ): void;
  /** SGD: out = p - lr·g; with momentum, m = μ·m - lr·g and out = p + m (Nesterov: p + μ·m - lr·g). */
  sgdUpdate(p: Float32Array, g: Float32Array, m: Float32Array | null, out: Float32Array, lr: number, momentum: number, nesterov: boolean): void;
}

/**
 * A whole LSTM layer's time loop (Keras equations: sigmoid gates, tanh candidate and output, gate
 * order i, f, c̃, o) as one kernel each way. B = batch, T = time, H = units.
 */
export interface RecurrentKernels {
  /**
   * Forward: xz [B, T, 4H] (the input projection x·W + b of every step), u [H, 4H] (the recurrent
   * kernel), h0 and c0 [B, H] → hs [B, T, H] (h of every step), cT [B, H] (the last cell state)
   * and saved [T, B, 6H]: i, f, c̃, o, tanh(c) and c of every step, which the backward pass reads.
   */
  lstmSequence(xz: TensorData, u: TensorData, h0: TensorData, c0: TensorData, hs: TensorData, cT: TensorData, saved: TensorData): void;
  /**
   * Backward through time: from dhs [B, T, H] (gradient of every h) and dcT [B, H], with the
   * forward's u, h0, c0, hs and saved → dxz [B, T, 4H], du [H, 4H], dh0 and dc0 [B, H].
   */
  lstmSequenceGrad(
    u: TensorData, h0: TensorData, c0: TensorData, hs: TensorData, saved: TensorData, dhs: TensorData, dcT: TensorData,
    dxz: TensorData, du: TensorData, dh0: TensorData, dc0: TensorData,
  ): void;
  /**
   * A GRU layer's loop (Keras's reset_after form, sigmoid gates, tanh candidate, gate order z, r,
   * h̃): xz [B, T, 3H] (x·W + input bias), u [H, 3H], rb [3H] (recurrent bias), h0 [B, H] → hs
   * [B, T, H] and saved [T, B, 4H]: z, r, h̃ and the recurrent candidate term (h·u + rb)_h̃.
   */
  gruSequence(xz: TensorData, u: TensorData, rb: TensorData, h0: TensorData, hs: TensorData, saved: TensorData): void;
  /** Backward: from dhs [B, T, H] → dxz [B, T, 3H], du [H, 3H], drb [3H], dh0 [B, H]. */
  gruSequenceGrad(
    u: TensorData, h0: TensorData, hs: TensorData, saved: TensorData, dhs: TensorData,
    dxz: TensorData, du: TensorData, drb: TensorData, dh0: TensorData,
  ): void;
}

/**
 * Random fills from a fresh Philox-4x32-10 stream with key (k0, k1) (src/core/random.ts): value i
 * uses the stream's word i, u_i = (word_i >>> 8)·2⁻²⁴ in [0, 1). Integer arithmetic, so every
 * backend produces bit-identical values.
 */
export interface RandomKernels {
  /** out[i] = min(fround(minval + u_i·width), top), in float64 before the rounding. */
  philoxUniform(out: Float32Array, k0: number, k1: number, minval: number, width: number, top: number): void;
  /** out[i] = u_i >= rate ? kept : 0 (a dropout keep mask). */
  philoxKeepMask(out: Float32Array, k0: number, k1: number, rate: number, kept: number): void;
}

/** Chains of float32 element-wise ops run as one pass (nb.function's fusion pass builds the programs). */
export interface FusedKernels {
  /**
   * Runs `program` over every element of `out`: each input is as long as `out` or holds one
   * value; the program is checked against them first (a bad one raises a typed error).
   */
  fusedElementwise(program: FusedProgram, inputs: readonly TensorData[], out: TensorData): void;
}

export type KernelTable = ElementwiseKernels & FusedKernels & ReduceKernels & LinalgKernels & ShapeKernels & NNKernels & OptimizerKernels & RecurrentKernels & RandomKernels;

export type KernelName = keyof KernelTable;
