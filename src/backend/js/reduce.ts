import type { ReduceKernels, ReduceKind } from '../kernels.js';

function initial(kind: ReduceKind): number {
  switch (kind) {
    case 'sum': case 'mean': case 'any': return 0;
    case 'prod': case 'all': return 1;
    case 'max': return -Infinity;
    case 'min': return Infinity;
  }
}

export const reduceKernels: ReduceKernels = {
  reduce(kind, x, axes, out) {
    const shape = x.shape;
    const rank = shape.length;
    const xv = x.values;
    const outSize = out.values.length;
    const acc = new Float64Array(outSize).fill(initial(kind));
    const isReduced = new Array<boolean>(rank).fill(false);
    for (const a of axes) isReduced[a] = true;
    let count = 1;
    for (const a of axes) count *= shape[a]!;

    // Split into: outer (kept, before the reduced block) handled generically with an odometer.
    const outStrides = new Array<number>(rank).fill(0);
    let s = 1;
    for (let d = rank - 1; d >= 0; d--) {
      if (!isReduced[d]) {
        outStrides[d] = s;
        s *= shape[d]!;
      }
    }
    const n = xv.length;
    const trailing = rank > 0 && isReduced[rank - 1] ? shape[rank - 1]! : 1;
    const idx = new Array<number>(rank).fill(0);
    let o = 0;
    const step = (k: number, v: number): void => {
      switch (kind) {
        case 'sum': case 'mean': acc[k]! += v; break;
        case 'prod': acc[k]! *= v; break;
        case 'max': if (v > acc[k]! || Number.isNaN(v)) acc[k] = v; break;
        case 'min': if (v < acc[k]! || Number.isNaN(v)) acc[k] = v; break;
        case 'all': if (!v) acc[k] = 0; break;
        case 'any': if (v) acc[k] = 1; break;
      }
    };
    // Walk x in row-major order `trailing` elements at a time (they share one output slot when the
    // last axis is reduced), advancing the odometer over the remaining dims.
    const lastDims = trailing > 1 ? rank - 1 : rank;
    for (let i = 0; i < n; i += trailing) {
      if (kind === 'sum' || kind === 'mean') {
        let t = 0;
        for (let j = 0; j < trailing; j++) t += xv[i + j]!;
        acc[o]! += t;
      } else {
        for (let j = 0; j < trailing; j++) step(o, xv[i + j]!);
      }
      for (let d = lastDims - 1; d >= 0; d--) {
        idx[d]!++;
        o += outStrides[d]!;
        if (idx[d]! < shape[d]!) break;
        o -= outStrides[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
    const ov = out.values;
    if (kind === 'mean') {
      for (let k = 0; k < outSize; k++) ov[k] = count === 0 ? NaN : acc[k]! / count;
    } else {
      for (let k = 0; k < outSize; k++) ov[k] = acc[k]!;
    }
  },

  argReduce(kind, x, axis, out) {
    const shape = x.shape;
    const len = shape[axis]!;
    let inner = 1;
    for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
    const outer = out.values.length / Math.max(inner, 1);
    const xv = x.values, ov = out.values;
    const better = kind === 'argMax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let best = 0;
        let bestV = xv[base]!;
        for (let k = 1; k < len; k++) {
          const v = xv[base + k * inner]!;
          if (better(v, bestV) || (Number.isNaN(v) && !Number.isNaN(bestV))) {
            best = k;
            bestV = v;
          }
        }
        ov[o * inner + i] = best;
      }
    }
  },
};
