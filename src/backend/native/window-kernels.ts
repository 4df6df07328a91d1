import type { NNKernels, TensorData } from '../kernels.js';
import { jsKernels } from '../js/index.js';
import type { NativeAddon } from './addon.js';
import { callNative, checkTensor, isFloat32 } from './checks.js';

type WindowKernelName =
  | 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter' | 'depthwiseConv2d' | 'depthwiseConv2dBackpropInput'
  | 'depthwiseConv2dBackpropFilter' | 'maxPool' | 'maxPoolGrad' | 'avgPool' | 'avgPoolGrad';

/** Checks every tensor; true when all are float32, so the addon can take them. */
function allFloat32(op: string, tensors: Record<string, TensorData>): boolean {
  let ok = true;
  for (const [name, t] of Object.entries(tensors)) {
    checkTensor(op, name, t);
    ok &&= isFloat32(t);
  }
  return ok;
}

const f32 = (t: TensorData): Float32Array => t.values as Float32Array;

/**
 * Convolution and pooling kernels over NHWC float32 tensors (the addon validates the geometry
 * against the tensors' lengths); other dtypes go to the reference.
 */
export function createWindowKernels(addon: NativeAddon): Pick<NNKernels, WindowKernelName> {
  return {
    conv2d(x, filter, out, info) {
      if (!allFloat32('conv2d', { x, filter, out })) return jsKernels.conv2d(x, filter, out, info);
      callNative(() => addon.conv2d(f32(x), f32(filter), f32(out), info));
    },
    conv2dBackpropInput(dy, filter, out, info) {
      if (!allFloat32('conv2dBackpropInput', { dy, filter, out })) return jsKernels.conv2dBackpropInput(dy, filter, out, info);
      callNative(() => addon.conv2dBackpropInput(f32(dy), f32(filter), f32(out), info));
    },
    conv2dBackpropFilter(x, dy, out, info) {
      if (!allFloat32('conv2dBackpropFilter', { x, dy, out })) return jsKernels.conv2dBackpropFilter(x, dy, out, info);
      callNative(() => addon.conv2dBackpropFilter(f32(x), f32(dy), f32(out), info));
    },
    depthwiseConv2d(x, filter, out, info) {
      if (!allFloat32('depthwiseConv2d', { x, filter, out })) return jsKernels.depthwiseConv2d(x, filter, out, info);
      callNative(() => addon.depthwiseConv2d(f32(x), f32(filter), f32(out), info));
    },
    depthwiseConv2dBackpropInput(dy, filter, out, info) {
      if (!allFloat32('depthwiseConv2dBackpropInput', { dy, filter, out })) return jsKernels.depthwiseConv2dBackpropInput(dy, filter, out, info);
      callNative(() => addon.depthwiseConv2dBackpropInput(f32(dy), f32(filter), f32(out), info));
    },
    depthwiseConv2dBackpropFilter(x, dy, out, info) {
      if (!allFloat32('depthwiseConv2dBackpropFilter', { x, dy, out })) return jsKernels.depthwiseConv2dBackpropFilter(x, dy, out, info);
      callNative(() => addon.depthwiseConv2dBackpropFilter(f32(x), f32(dy), f32(out), info));
    },
    maxPool(x, out, info) {
      if (!allFloat32('maxPool', { x, out })) return jsKernels.maxPool(x, out, info);
      callNative(() => addon.maxPool(f32(x), f32(out), info));
    },
    maxPoolGrad(dy, x, out, info) {
      if (!allFloat32('maxPoolGrad', { dy, x, out })) return jsKernels.maxPoolGrad(dy, x, out, info);
      callNative(() => addon.maxPoolGrad(f32(dy), f32(x), f32(out), info));
    },
    avgPool(x, out, info) {
      if (!allFloat32('avgPool', { x, out })) return jsKernels.avgPool(x, out, info);
      callNative(() => addon.avgPool(f32(x), f32(out), info));
    },
    avgPoolGrad(dy, out, info) {
      if (!allFloat32('avgPoolGrad', { dy, out })) return jsKernels.avgPoolGrad(dy, out, info);
      callNative(() => addon.avgPoolGrad(f32(dy), f32(out), info));
    },
  };
}
