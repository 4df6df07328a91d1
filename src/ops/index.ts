export * from './creation.js';
export { add, sub, mul, div, neg } from './arithmetic.js';
export * from './unary.js';
export * from './logical.js';
export * from './reduction.js';
export { reshape, expandDims, squeeze, broadcastTo } from './reshape.js';
export { oneHot } from './one-hot.js';
