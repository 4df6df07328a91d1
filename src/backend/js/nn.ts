import type { NNKernels } from '../kernels.js';
import { batchNormKernels } from './batch-norm.js';
import { convKernels } from './conv.js';
import { softmaxKernels } from './softmax.js';

export const nnKernels: NNKernels = {
  biasActivation(x, bias, activation, out) {
    const xv = x.values, o = out.values;
    const b = bias ? bias.values : null;
    const c = b ? b.length : 1;
    const relu = activation === 'relu';
    for (let i = 0; i < o.length; i++) {
      const v = b ? Math.fround(xv[i]! + b[i % c]!) : xv[i]!;
      o[i] = relu ? (v > 0 ? v : 0) : v;
    }
  },
  ...softmaxKernels,
  ...convKernels,
  ...batchNormKernels,
};
