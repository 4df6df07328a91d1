// The core layers, with their lower-case factories.
export { Dense, dense, type DenseArgs } from './dense.js';
export { Activation, activation, type ActivationArgs } from './activation.js';
export { Dropout, dropout, type DropoutArgs } from './dropout.js';
export { GaussianNoise, gaussianNoise, type GaussianNoiseArgs } from './gaussian-noise.js';
export { Flatten, flatten, type FlattenArgs, type DataFormat } from './flatten.js';
export { Reshape, reshape, type ReshapeArgs } from './reshape.js';
export { Permute, permute, type PermuteArgs } from './permute.js';
export { RepeatVector, repeatVector, type RepeatVectorArgs } from './repeat-vector.js';
export { Lambda, lambda, registerLambda, type LambdaArgs, type LambdaFn, type LambdaOutputShape } from './lambda.js';
export {
  ReLU,
  reLU,
  LeakyReLU,
  leakyReLU,
  ELU,
  elu,
  Softmax,
  softmax,
  type ReLUArgs,
  type LeakyReLUArgs,
  type ELUArgs,
  type SoftmaxArgs,
} from './activation-layers.js';
export { PReLU, prelu, type PReLUArgs } from './prelu.js';
export { Rescaling, rescaling, type RescalingArgs } from './rescaling.js';
export { Embedding, embedding, type EmbeddingArgs } from './embedding.js';
