/** `nb.compat`: compatibility surfaces. `nb.compat.v1` is the TensorFlow 1 graph API. */
export * as v1 from './v1.js';
