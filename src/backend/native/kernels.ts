import type {
  BinaryKind, ElementwiseKernels, KernelTable, LinalgKernels, NNKernels, OptimizerKernels, RandomKernels, ReduceKernels, ReduceKind, TensorData,
  UnaryKind,
} from '../kernels.js';
import { jsKernels } from '../js/index.js';
import type { NativeAddon } from './addon.js';
import { callNative, checkTensor, isFloat32 } from './checks.js';
import { createFusedKernels } from './fused-kernels.js';
import { createRecurrentKernels } from './recurrent-kernels.js';
import { createWindowKernels } from './window-kernels.js';

/** Binary kinds the addon computes on float32 inputs, and which of them output bool. */
const nativeBinary = new Set<BinaryKind>([
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'floorDiv', 'mod', 'reluGrad',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
]);
const comparisons = new Set<BinaryKind>(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual']);

/** Every float unary kind; logicalNot works on bools and stays with the reference. */
const nativeUnary = new Set<UnaryKind>([
  'neg', 'abs', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sigmoid', 'tanh',
  'relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'softplus', 'gelu', 'erf', 'sin', 'cos', 'sign', 'floor',
  'ceil', 'round', 'clip', 'step', 'identity',
]);

const nativeReduce = new Set<ReduceKind>(['sum', 'mean', 'max', 'min', 'prod']);

/**
 * Work below which the reference kernel is faster than a call into the addon (about 1-3 us of
 * argument checking and crossing), measured on x86-64: elements for element-wise kernels,
 * multiply-adds for matMul.
 */
const SMALL_ELEMENTWISE = 256;
const SMALL_BINARY = 512;
const SMALL_MATMUL = 8 * 8 * 8;

/** True when each operand is the output's size or a scalar: the reference's fast paths. */
function simpleOperands(n: number, a: TensorData, b: TensorData): boolean {
  const la = a.values.length, lb = b.values.length;
  return (la === n || la === 1) && (lb === n || lb === 1);
}

function matMulWork(a: TensorData, out: TensorData, transposeA: boolean): number {
  const k = a.shape[a.shape.length - (transposeA ? 2 : 1)] ?? 0;
  return out.values.length * k;
}

export interface NativeKernelOptions {
  /** Send tiny workloads to the faster-for-them reference kernels (default true; tests turn it off). */
  smallToReference?: boolean;
}

/**
 * The kernels the addon accelerates, computing over the tensors' own memory. Each checks its
 * tensors, then runs natively or, for dtypes and kinds the addon lacks, calls the reference
 * kernel, so every entry is complete. Argument errors surface as nabla's typed errors.
 */
export function createNativeKernels(addon: NativeAddon, options: NativeKernelOptions = {}): Partial<KernelTable> {
  const routeSmall = options.smallToReference ?? true;
  const linalg: LinalgKernels = {
    matMul(a, b, out, transposeA, transposeB) {
      checkTensor('matMul', 'a', a);
      checkTensor('matMul', 'b', b);
      checkTensor('matMul', 'out', out);
      if (!isFloat32(a) || !isFloat32(b) || !isFloat32(out) || (routeSmall && matMulWork(a, out, transposeA) < SMALL_MATMUL)) {
        jsKernels.matMul(a, b, out, transposeA, transposeB);
        return;
      }
      callNative(() => addon.matMul(a.values, a.shape, b.values, b.shape, out.values, out.shape, transposeA, transposeB));
    },
  };

  const elementwise: Pick<ElementwiseKernels, 'binary' | 'unary'> = {
    binary(kind, a, b, out) {
      checkTensor(kind, 'a', a);
      checkTensor(kind, 'b', b);
      checkTensor(kind, 'out', out);
      const outOk = comparisons.has(kind) ? out.dtype === 'bool' : isFloat32(out);
      const n = out.values.length;
      const tiny = routeSmall && n < SMALL_BINARY && simpleOperands(n, a, b);
      if (!nativeBinary.has(kind) || !isFloat32(a) || !isFloat32(b) || !outOk || tiny) {
        jsKernels.binary(kind, a, b, out);
        return;
      }
      const o = out.values as Float32Array | Uint8Array;
      callNative(() => addon.binary(kind, a.values, a.shape, b.values, b.shape, o, out.shape));
    },
    unary(kind, x, out, alpha, beta) {
      checkTensor(kind, 'x', x);
      checkTensor(kind, 'out', out);
      if (!nativeUnary.has(kind) || !isFloat32(x) || !isFloat32(out) || (routeSmall && out.values.length < SMALL_ELEMENTWISE)) {
        jsKernels.unary(kind, x, out, alpha, beta);
        return;
      }
      callNative(() => addon.unary(kind, x.values, out.values, alpha, beta));
    },
  };

  const reduce: Pick<ReduceKernels, 'reduce'> = {
    reduce(kind, x, axes, out) {
      checkTensor(kind, 'x', x);
      checkTensor(kind, 'out', out);
      if (!nativeReduce.has(kind) || !isFloat32(x) || !isFloat32(out) || (routeSmall && x.values.length < SMALL_ELEMENTWISE)) {
        jsKernels.reduce(kind, x, axes, out);
        return;
      }
      callNative(() => addon.reduce(kind, x.values, x.shape, axes, out.values));
    },
  };

  const softmaxKernel = (log: boolean): NNKernels['softmax'] => (x, out) => {
    const op = log ? 'logSoftmax' : 'softmax';
    checkTensor(op, 'x', x);
    checkTensor(op, 'out', out);
    if (!isFloat32(x) || !isFloat32(out) || (routeSmall && x.values.length < SMALL_ELEMENTWISE)) {
      (log ? jsKernels.logSoftmax : jsKernels.softmax)(x, out);
      return;
    }
    callNative(() => addon.softmax(x.values, x.shape, out.values, log));
  };
  const biasActivation: NNKernels['biasActivation'] = (x, bias, activation, out) => {
    checkTensor('biasActivation', 'x', x);
    checkTensor('biasActivation', 'out', out);
    if (bias) checkTensor('biasActivation', 'bias', bias);
    if (!isFloat32(x) || !isFloat32(out) || (bias && !isFloat32(bias)) || (routeSmall && x.values.length < SMALL_ELEMENTWISE)) {
      jsKernels.biasActivation(x, bias, activation, out);
      return;
    }
    callNative(() => addon.biasActivation(x.values, bias ? (bias.values as Float32Array) : null, activation === 'relu', out.values));
  };
  const sparseSoftmaxCrossEntropy: NNKernels['sparseSoftmaxCrossEntropy'] = (logits, labels, loss, probs) => {
    const op = 'sparseSoftmaxCrossEntropy';
    for (const [name, t] of [['logits', logits], ['labels', labels], ['loss', loss], ['probs', probs]] as const) checkTensor(op, name, t);
    if (!isFloat32(logits) || !isFloat32(loss) || !isFloat32(probs) || !(labels.values instanceof Int32Array) || (routeSmall && logits.values.length < SMALL_ELEMENTWISE)) {
      jsKernels.sparseSoftmaxCrossEntropy(logits, labels, loss, probs);
      return;
    }
    const classes = logits.shape[logits.shape.length - 1] ?? 1;
    callNative(() => addon.sparseSoftmaxCrossEntropy(logits.values, labels.values as Int32Array, loss.values, probs.values, classes));
  };
  // Batch norm: float32 throughout, else the reference (gamma/beta may be absent).
  const float32s = (op: string, named: Record<string, TensorData | null>): boolean => {
    let ok = true;
    for (const [name, t] of Object.entries(named)) {
      if (!t) continue;
      checkTensor(op, name, t);
      ok &&= isFloat32(t);
    }
    return ok;
  };
  const f32 = (t: TensorData | null): Float32Array | null => (t ? (t.values as Float32Array) : null);
  const batchNorm: Pick<NNKernels, 'batchNormTrain' | 'batchNormTrainGrad'> = {
    batchNormTrain(x, gamma, beta, epsilon, y, mean, variance, invStd) {
      if (!float32s('batchNormTrain', { x, gamma, beta, y, mean, variance, invStd }) || (routeSmall && x.values.length < SMALL_ELEMENTWISE)) {
        jsKernels.batchNormTrain(x, gamma, beta, epsilon, y, mean, variance, invStd);
        return;
      }
      callNative(() => addon.batchNormTrain(f32(x)!, f32(gamma), f32(beta), epsilon, f32(y)!, f32(mean)!, f32(variance)!, f32(invStd)!));
    },
    batchNormTrainGrad(x, dy, mean, invStd, gamma, dx, dgamma, dbeta) {
      if (!float32s('batchNormTrainGrad', { x, dy, mean, invStd, gamma, dx, dgamma, dbeta }) || (routeSmall && x.values.length < SMALL_ELEMENTWISE)) {
        jsKernels.batchNormTrainGrad(x, dy, mean, invStd, gamma, dx, dgamma, dbeta);
        return;
      }
      callNative(() => addon.batchNormTrainGrad(f32(x)!, f32(dy)!, f32(mean)!, f32(invStd)!, f32(gamma), f32(dx)!, f32(dgamma)!, f32(dbeta)!));
    },
  };
  const nn: Pick<NNKernels, 'softmax' | 'logSoftmax' | 'biasActivation' | 'sparseSoftmaxCrossEntropy' | 'batchNormTrain' | 'batchNormTrainGrad'> = {
    softmax: softmaxKernel(false), logSoftmax: softmaxKernel(true), biasActivation, sparseSoftmaxCrossEntropy, ...batchNorm,
  };

  // Random fills: bit-identical to the reference; tiny fills stay in JS.
  const random: RandomKernels = {
    philoxUniform(out, k0, k1, minval, width, top) {
      if (routeSmall && out.length < SMALL_ELEMENTWISE) jsKernels.philoxUniform(out, k0, k1, minval, width, top);
      else callNative(() => addon.philoxUniform(out, k0, k1, minval, width, top));
    },
    philoxKeepMask(out, k0, k1, rate, kept) {
      if (routeSmall && out.length < SMALL_ELEMENTWISE) jsKernels.philoxKeepMask(out, k0, k1, rate, kept);
      else callNative(() => addon.philoxKeepMask(out, k0, k1, rate, kept));
    },
  };

  // Optimizer updates: small parameters (biases) stay in JS, where the call costs less.
  const optimizer: OptimizerKernels = {
    adamUpdate(p, g, m, v, out, alpha, beta1, beta2, epsilon) {
      if (routeSmall && out.length < SMALL_BINARY) {
        jsKernels.adamUpdate(p, g, m, v, out, alpha, beta1, beta2, epsilon);
        return;
      }
      callNative(() => addon.adamUpdate(p, g, m, v, out, alpha, beta1, beta2, epsilon));
    },
    sgdUpdate(p, g, m, out, lr, momentum, nesterov) {
      if (routeSmall && out.length < SMALL_BINARY) {
        jsKernels.sgdUpdate(p, g, m, out, lr, momentum, nesterov);
        return;
      }
      callNative(() => addon.sgdUpdate(p, g, m, out, lr, momentum, nesterov));
    },
  };

  return { ...linalg, ...elementwise, ...reduce, ...nn, ...optimizer, ...random, ...createWindowKernels(addon), ...createRecurrentKernels(addon),
    ...createFusedKernels(addon, routeSmall ? SMALL_ELEMENTWISE : 0),
  };
}
