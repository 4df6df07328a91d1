import type { NNKernels } from '../kernels.js';
import { convKernels } from './conv.js';
import { softmaxKernels } from './softmax.js';

export const nnKernels: NNKernels = {
  ...softmaxKernels,
  ...convKernels,
};
