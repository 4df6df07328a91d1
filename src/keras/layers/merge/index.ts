// The merge layers, with their lower-case factories.
export { Merge, ElementwiseMerge } from './base.js';
export {
  Add,
  add,
  Subtract,
  subtract,
  Multiply,
  multiply,
  Average,
  average,
  Maximum,
  maximum,
  Minimum,
  minimum,
} from './elementwise.js';
export { Concatenate, concatenate, type ConcatenateArgs } from './concatenate.js';
export { Dot, dot, type DotArgs } from './dot.js';
