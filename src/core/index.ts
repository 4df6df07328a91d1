export { type DType, type TypedArray, DTYPES } from './dtype.js';
export { NablaError, ShapeError, DTypeError, InvalidArgumentError, NotFoundError, FailedPreconditionError } from './errors.js';
export { Tensor, type NestedArray } from './tensor.js';
export { Variable } from './variable.js';
export { setSeed, getSeed } from './random.js';
export type { Shape } from './shape.js';
