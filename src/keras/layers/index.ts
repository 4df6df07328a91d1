// The layer classes and their lower-case factories, as `nb.keras.layers`.
export { Layer, LayerError, type LayerArgs, type CallArgs, type InputSpec, type AddWeightOptions } from '../engine/layer.js';
export { InputLayer, inputLayer, type InputArgs } from '../engine/input-layer.js';
export * from './core/index.js';
export * from './merge/index.js';
export * from './conv/index.js';
export * from './pooling/index.js';
export * from './normalization/index.js';
export * from './recurrent/index.js';
export * from './preprocessing/index.js';
