// `nb.keras.applications`: pretrained-architecture builders with Keras's layer names.
export { VGG16, VGG19, buildVGG, type VGGArgs } from './vgg.js';
export { preprocessInput, deprocess, IMAGENET_MEAN_BGR, type PreprocessMode } from './imagenet-utils.js';
export { findWeightsFile, imagenetWeightsFileName, weightsSearchDirs, type WeightsArg } from './weights-files.js';
