import type { BinaryKind, ElementwiseKernels, TensorData, UnaryKind } from '../kernels.js';
import { broadcastOffsets } from './broadcast.js';

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), enough for float32. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** Round half to even, as TensorFlow's round does. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function unaryFn(kind: UnaryKind, alpha: number, beta: number): (x: number) => number {
  switch (kind) {
    case 'neg': return (x) => -x;
    case 'abs': return Math.abs;
    case 'exp': return Math.exp;
    case 'expm1': return Math.expm1;
    case 'log': return Math.log;
    case 'log1p': return Math.log1p;
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (x) => 1 / Math.sqrt(x);
    case 'square': return (x) => x * x;
    case 'reciprocal': return (x) => 1 / x;
    case 'sigmoid': return (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    case 'tanh': return Math.tanh;
    case 'relu': return (x) => (x > 0 ? x : 0);
    case 'relu6': return (x) => (x > 0 ? (x < 6 ? x : 6) : 0);
    case 'elu': return (x) => (x > 0 ? x : alpha * Math.expm1(x));
    case 'selu': return (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x));
    case 'leakyRelu': return (x) => (x > 0 ? x : alpha * x);
    case 'softplus': return softplus;
    case 'gelu': return (x) => 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'erf': return erf;
    case 'sin': return Math.sin;
    case 'cos': return Math.cos;
    case 'sign': return (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN);
    case 'floor': return Math.floor;
    case 'ceil': return Math.ceil;
    case 'round': return roundHalfEven;
    case 'clip': return (x) => (x < alpha ? alpha : x > beta ? beta : x);
    case 'logicalNot': return (x) => (x ? 0 : 1);
    case 'step': return (x) => (x > 0 ? 1 : alpha);
    case 'identity': return (x) => x;
  }
}

function binaryFn(kind: BinaryKind, isInt: boolean): (a: number, b: number) => number {
  switch (kind) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return isInt ? Math.imul : (a, b) => a * b;
    case 'div': return isInt ? (a, b) => (b === 0 ? 0 : Math.floor(a / b)) : (a, b) => a / b;
    case 'pow': return Math.pow;
    case 'maximum': return (a, b) => (a > b || Number.isNaN(a) ? a : b);
    case 'minimum': return (a, b) => (a < b || Number.isNaN(a) ? a : b);
    case 'squaredDifference': return (a, b) => (a - b) * (a - b);
    case 'floorDiv': return isInt ? (a, b) => (b === 0 ? 0 : Math.floor(a / b)) : (a, b) => Math.floor(a / b);
    case 'mod':
      return isInt
        ? (a, b) => (b === 0 ? 0 : a - Math.floor(a / b) * b)
        : (a, b) => {
            const r = a % b;
            return r !== 0 && r < 0 !== b < 0 ? r + b : r;
          };
    // relu's gradient (a = dy, b = x): exactly dy * step(x).
    case 'reluGrad': return isInt ? (a, b) => Math.imul(a, b > 0 ? 1 : 0) : (a, b) => a * (b > 0 ? 1 : 0);
    case 'equal': return (a, b) => (a === b ? 1 : 0);
    case 'notEqual': return (a, b) => (a !== b ? 1 : 0);
    case 'less': return (a, b) => (a < b ? 1 : 0);
    case 'lessEqual': return (a, b) => (a <= b ? 1 : 0);
    case 'greater': return (a, b) => (a > b ? 1 : 0);
    case 'greaterEqual': return (a, b) => (a >= b ? 1 : 0);
    case 'logicalAnd': return (a, b) => (a && b ? 1 : 0);
    case 'logicalOr': return (a, b) => (a || b ? 1 : 0);
    case 'logicalXor': return (a, b) => ((a ? 1 : 0) ^ (b ? 1 : 0));
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function binaryAdd(a: TensorData, b: TensorData, out: TensorData): boolean {
  const av = a.values, bv = b.values, ov = out.values;
  const n = ov.length;
  if (av.length === n && bv.length === n) {
    for (let i = 0; i < n; i++) ov[i] = av[i]! + bv[i]!;
    return true;
  }
  if (bv.length === 1) {
    const s = bv[0]!;
    for (let i = 0; i < n; i++) ov[i] = av[i]! + s;
    return true;
  }
  return false;
}

function binaryMul(a: TensorData, b: TensorData, out: TensorData): boolean {
  if (a.dtype === 'int32') return false;
  const av = a.values, bv = b.values, ov = out.values;
  const n = ov.length;
  if (av.length === n && bv.length === n) {
    for (let i = 0; i < n; i++) ov[i] = av[i]! * bv[i]!;
    return true;
  }
  if (bv.length === 1) {
    const s = bv[0]!;
    for (let i = 0; i < n; i++) ov[i] = av[i]! * s;
    return true;
  }
  return false;
}

export const elementwiseKernels: ElementwiseKernels = {
  unary(kind, x, out, alpha, beta) {
    const xv = x.values, ov = out.values;
    const n = ov.length;
    if (kind === 'relu') {
      for (let i = 0; i < n; i++) { const v = xv[i]!; ov[i] = v > 0 ? v : 0; }
      return;
    }
    if (kind === 'neg') {
      for (let i = 0; i < n; i++) ov[i] = -xv[i]!;
      return;
    }
    const f = unaryFn(kind, alpha, beta);
    for (let i = 0; i < n; i++) ov[i] = f(xv[i]!);
  },

  binary(kind, a, b, out) {
    const n = out.values.length;
    if (n === 0) return;
    if (kind === 'add' && sameShape(a.shape, out.shape) && binaryAdd(a, b, out)) return;
    if (kind === 'mul' && sameShape(a.shape, out.shape) && binaryMul(a, b, out)) return;
    const f = binaryFn(kind, a.dtype === 'int32');
    const av = a.values, bv = b.values, ov = out.values;
    if (av.length === n && bv.length === n && sameShape(a.shape, b.shape)) {
      for (let i = 0; i < n; i++) ov[i] = f(av[i]!, bv[i]!);
    } else if (bv.length === 1 && av.length === n) {
      const s = bv[0]!;
      for (let i = 0; i < n; i++) ov[i] = f(av[i]!, s);
    } else if (av.length === 1 && bv.length === n) {
      const s = av[0]!;
      for (let i = 0; i < n; i++) ov[i] = f(s, bv[i]!);
    } else {
      const [ia, ib] = broadcastOffsets([a.shape, b.shape], out.shape);
      for (let i = 0; i < n; i++) ov[i] = f(av[ia![i]!]!, bv[ib![i]!]!);
    }
  },

  where(cond, a, b, out) {
    const n = out.values.length;
    if (n === 0) return;
    const [ic, ia, ib] = broadcastOffsets([cond.shape, a.shape, b.shape], out.shape);
    const cv = cond.values, av = a.values, bv = b.values, ov = out.values;
    for (let i = 0; i < n; i++) ov[i] = cv[ic![i]!] ? av[ia![i]!]! : bv[ib![i]!]!;
  },

  cast(x, out) {
    const xv = x.values, ov = out.values;
    const n = ov.length;
    if (out.dtype === 'bool') {
      for (let i = 0; i < n; i++) ov[i] = xv[i] !== 0 ? 1 : 0;
    } else if (out.dtype === 'int32' && x.dtype === 'float32') {
      // Int32Array stores ToInt32(x): truncation toward zero, NaN -> 0, wrap-around beyond 2^31.
      for (let i = 0; i < n; i++) {
        const v = xv[i]!;
        ov[i] = v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : v;
      }
    } else {
      for (let i = 0; i < n; i++) ov[i] = xv[i]!;
    }
  },
};
