// Neural style transfer with VGG19 (the Keras example), as a library.
export { styleTransfer, workingSize, CONTENT_LAYER, STYLE_LAYERS, type StyleTransferOptions, type StyleTransferResult, type StepLog } from './transfer.js';
export { gramMatrix, styleLayerLoss, contentLoss, totalVariationLoss } from './losses.js';
export { loadFeatureNetwork, randomizeVGG, seededUniform, type FeatureSource } from './features.js';
export { Lbfgs, type LossAndGrad, type LbfgsState } from './lbfgs.js';
