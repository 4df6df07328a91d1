import type { ShapeKernels } from '../kernels.js';

const todo = (name: string) => (): never => {
  throw new Error(`kernel ${name} is being written`);
};

export const shapeKernels: ShapeKernels = {
  transpose: todo('transpose'),
  concat: todo('concat'),
  stridedSlice: todo('stridedSlice'),
  gather: todo('gather'),
  gatherND: todo('gatherND'),
  scatterND: todo('scatterND'),
  tile: todo('tile'),
  pad: todo('pad'),
  reverse: todo('reverse'),
  oneHot(indices, depth, onValue, offValue, out) {
    const iv = indices.values, ov = out.values;
    if (offValue !== 0) ov.fill(offValue);
    for (let i = 0; i < iv.length; i++) {
      const k = iv[i]!;
      if (k >= 0 && k < depth) ov[i * depth + k] = onValue;
    }
  },
};
