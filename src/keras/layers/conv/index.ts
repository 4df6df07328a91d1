// Convolution layers (channels last), as `nb.keras.layers`.
export { BaseConv, Conv, type BaseConvArgs, type ConvArgs } from './base-conv.js';
export { Conv1D, conv1d, type Conv1DArgs } from './conv1d.js';
export { Conv2D, conv2d, type Conv2DArgs } from './conv2d.js';
export { Conv2DTranspose, conv2dTranspose, type Conv2DTransposeArgs } from './conv2d-transpose.js';
export { DepthwiseConv2D, depthwiseConv2d, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
export { SeparableConv2D, separableConv2d, type SeparableConv2DArgs } from './separable-conv2d.js';
