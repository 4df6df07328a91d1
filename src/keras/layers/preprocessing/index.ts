// Image augmentation layers (Keras preprocessing), with their lower-case factories.
export { RandomFlip, randomFlip, type RandomFlipArgs, type FlipMode } from './random-flip.js';
export { RandomRotation, randomRotation, type RandomRotationArgs } from './random-rotation.js';
export { RandomZoom, randomZoom, type RandomZoomArgs } from './random-zoom.js';
export { RandomTranslation, randomTranslation, type RandomTranslationArgs } from './random-translation.js';
export { RandomContrast, randomContrast, type RandomContrastArgs } from './random-contrast.js';
export type { Factor, FillArgs, RandomImageLayerArgs } from './base.js';
export type { FillMode, Interpolation } from './affine.js';
export { TextVectorization, textVectorization, PAD_TOKEN, OOV_TOKEN, type TextVectorizationArgs, type TextOutputMode, type TextSource } from './text-vectorization.js';
export type { TextStandardize, TextSplit } from './text-tokenize.js';
