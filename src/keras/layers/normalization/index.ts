// Normalisation layers, as `nb.keras.layers`.
export { BatchNormalization, batchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { LayerNormalization, layerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
export { InstanceNormalization, instanceNormalization, type InstanceNormalizationArgs } from './instance-normalization.js';
