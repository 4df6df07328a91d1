export * from './creation.js';
export { add, sub, mul, div, neg } from './arithmetic.js';
export * from './unary.js';
export * from './logical.js';
export * from './reduction.js';
export { reshape, expandDims, squeeze, broadcastTo } from './reshape.js';
export { oneHot } from './one-hot.js';
export { pow, maximum, minimum, squaredDifference, floorDiv, mod } from './binary-math.js';
export { matMul, dot, outer } from './linalg.js';
export {
  softmax,
  logSoftmax,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
  batchNormalization,
  l2Normalize,
  dropout,
  type DropoutOptions,
} from './nn.js';
export { randomUniform, randomNormal, truncatedNormal, randomShuffle, multinomial, categorical } from './random.js';
export { variable, type VariableOptions } from './variable.js';
export {
  transpose,
  reverse,
  tile,
  concat,
  split,
  stack,
  unstack,
  slice,
  stridedSlice,
  pad,
  mirrorPad,
  gather,
  gatherND,
  scatterND,
  tensorScatterUpdate,
  tensorScatterAdd,
  type StridedSliceOptions,
  type PadOptions,
  type PadModeName,
} from './shape-ops.js';
export {
  conv2d,
  conv2dBackpropInput,
  conv2dBackpropFilter,
  conv2dTranspose,
  depthwiseConv2d,
  depthwiseConv2dBackpropInput,
  depthwiseConv2dBackpropFilter,
} from './conv.js';
export { maxPool, avgPool } from './pool.js';
export type { Padding, ExplicitPadding } from './conv-util.js';
export * as image from './image.js';
import './tensor-methods.js';
