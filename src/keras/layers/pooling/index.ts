// Pooling, upsampling, and image padding/cropping layers (channels last), as `nb.keras.layers`.
export {
  Pooling,
  MaxPooling1D,
  AveragePooling1D,
  MaxPooling2D,
  AveragePooling2D,
  maxPooling1d,
  averagePooling1d,
  maxPooling2d,
  averagePooling2d,
  type PoolingArgs,
} from './pooling.js';
export {
  GlobalPooling,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  globalAveragePooling1d,
  globalMaxPooling1d,
  globalAveragePooling2d,
  globalMaxPooling2d,
  type GlobalPoolingArgs,
} from './global-pooling.js';
export { UpSampling2D, upSampling2d, type UpSampling2DArgs } from './up-sampling2d.js';
export { ZeroPadding2D, Cropping2D, zeroPadding2d, cropping2d, type ZeroPadding2DArgs, type Cropping2DArgs, type Padding2DArg } from './padding2d.js';
