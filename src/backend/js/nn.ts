import type { NNKernels } from '../kernels.js';

const todo = (name: string) => (): never => {
  throw new Error(`kernel ${name} is being written`);
};

export const nnKernels: NNKernels = {
  softmax: todo('softmax'),
  logSoftmax: todo('logSoftmax'),
  conv2d: todo('conv2d'),
  conv2dBackpropInput: todo('conv2dBackpropInput'),
  conv2dBackpropFilter: todo('conv2dBackpropFilter'),
  depthwiseConv2d: todo('depthwiseConv2d'),
  depthwiseConv2dBackpropInput: todo('depthwiseConv2dBackpropInput'),
  depthwiseConv2dBackpropFilter: todo('depthwiseConv2dBackpropFilter'),
  maxPool: todo('maxPool'),
  maxPoolGrad: todo('maxPoolGrad'),
  avgPool: todo('avgPool'),
  avgPoolGrad: todo('avgPoolGrad'),
  resizeBilinear: todo('resizeBilinear'),
  resizeBilinearGrad: todo('resizeBilinearGrad'),
  resizeNearestNeighbor: todo('resizeNearestNeighbor'),
  resizeNearestNeighborGrad: todo('resizeNearestNeighborGrad'),
};
