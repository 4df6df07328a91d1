import type { KernelTable } from '../kernels.js';
import { elementwiseKernels } from './elementwise.js';
import { fusedKernels } from './fused.js';
import { linalgKernels } from './linalg.js';
import { nnKernels } from './nn.js';
import { optimizerKernels } from './optimizer.js';
import { randomKernels } from './random.js';
import { recurrentKernels } from './recurrent.js';
import { reduceKernels } from './reduce.js';
import { shapeKernels } from './shape.js';

/** The reference backend: every kernel, in TypeScript. The compiler checks it is complete. */
export const jsKernels: KernelTable = {
  ...elementwiseKernels,
  ...fusedKernels,
  ...reduceKernels,
  ...linalgKernels,
  ...shapeKernels,
  ...nnKernels,
  ...optimizerKernels,
  ...recurrentKernels,
  ...randomKernels,
};
