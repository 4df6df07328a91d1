/** The shape/layout ops: permuting, joining, slicing, padding, gathering and scattering. */
export { transpose, reverse, tile } from './shape-permute.js';
export { concat, split, stack, unstack } from './shape-join.js';
export {
  slice,
  stridedSlice,
  pad,
  mirrorPad,
  type StridedSliceOptions,
  type PadOptions,
  type PadModeName,
} from './shape-slice.js';
export { gather, gatherND, scatterND, tensorScatterUpdate, tensorScatterAdd } from './shape-gather.js';
