// `nb.keras.losses`: per-sample loss functions, Keras loss classes and `getLoss`.
export * from './functions.js';
export { Loss, LossFunctionWrapper, type LossOptions, type LossReduction } from './base.js';
export * from './classes.js';
export * from './registry.js';
