import type { OptimizerKernels } from '../kernels.js';

/** Reference optimizer updates (single pass loops). */
export const optimizerKernels: OptimizerKernels = {
  adamUpdate(p, g, m, v, out, alpha, beta1, beta2, epsilon) {
    const c1 = 1 - beta1;
    const c2 = 1 - beta2;
    for (let i = 0; i < out.length; i++) {
      const gi = g[i]!;
      const mi = m[i]! + (gi - m[i]!) * c1;
      const vi = v[i]! + (gi * gi - v[i]!) * c2;
      m[i] = mi;
      v[i] = vi;
      out[i] = p[i]! - (mi * alpha) / (Math.sqrt(vi) + epsilon);
    }
  },
  sgdUpdate(p, g, m, out, lr, momentum, nesterov) {
    const n = out.length;
    if (m === null || momentum === 0) {
      for (let i = 0; i < n; i++) out[i] = p[i]! - lr * g[i]!;
      return;
    }
    for (let i = 0; i < n; i++) {
      const step = -lr * g[i]!;
      const mi = momentum * m[i]! + step;
      m[i] = mi;
      out[i] = p[i]! + (nesterov ? momentum * mi + step : mi);
    }
  },
};
