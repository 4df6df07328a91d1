import type { DType } from '../core/dtype.js';

/** Dtype groups ops accept. */
export const NUMERIC: readonly DType[] = ['float32', 'int32'];
export const FLOAT: readonly DType[] = ['float32'];
export const BOOL: readonly DType[] = ['bool'];
export const ANY: readonly DType[] = ['float32', 'int32', 'bool'];
