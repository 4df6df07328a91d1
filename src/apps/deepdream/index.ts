// DeepDream with VGG19 (the Keras example), as a library.
export { deepDream, type DeepDreamOptions, type DeepDreamResult, type OctaveLog } from './dream.js';
export { parseDreamLayers, DEFAULT_DREAM_LAYERS, VGG19_FEATURE_LAYERS, type DreamLayer } from './layers.js';
export { dreamWorkingSize, octaveSizes, MIN_SIDE } from './octaves.js';
