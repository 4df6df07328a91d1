/**
 * nabla — TensorFlow and Keras for TypeScript.
 *
 * @example
 * ```ts
 * import * as nb from 'nabla';
 * const x = nb.tensor([[1, 2], [3, 4]]);
 * nb.matMul(x, x).print();
 * ```
 * @packageDocumentation
 */
export * from './core/index.js';
export * from './backend/index.js';
export * from './ops/index.js';
export * from './autodiff/index.js';
export * as keras from './keras/index.js';
export * as datasets from './datasets/index.js';
export * as data from './data/index.js';
export * as rl from './rl/index.js';
export * as summary from './summary/index.js';
export * as estimator from './estimator/index.js';
export * as featureColumn from './estimator/feature-column/index.js';
export { version } from './version.js';
export * as compat from './compat/index.js';
export * as v1 from './compat/v1.js';
export { tfFunction as function } from './graph/index.js';
