// conv2d + bias + activation as one op (as TensorFlow's fused Conv2D, tf.js's fused.conv2d): the
// bias and ReLU are applied in place on the convolution's own output, so a Conv2D layer allocates
// and traverses one activation tensor instead of three. Not a public op; Conv2D uses it.
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import type { FusedActivation } from '../backend/kernels.js';
import { runOp1, type OpDef } from './engine.js';
import { conv2dOps, convInfo, type ForwardAttrs } from './conv.js';
import { convGeometry, withBatch, type Padding, type Pair } from './conv-util.js';
import { reluGrad } from './relu-grad.js';
import { sum } from './reduction.js';

interface FusedAttrs extends ForwardAttrs {
  activation: FusedActivation;
}

/** Inputs [x, filter] or [x, filter, bias]. */
export const fusedConv2dOp: OpDef<FusedAttrs> = {
  name: 'fusedConv2d',
  infer(inputs, attrs) {
    const [x, filter, bias] = inputs;
    const [spec] = conv2dOps.forward.infer([x!, filter!], attrs);
    const channels = spec!.shape[3]!;
    if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== channels)) {
      throw new InvalidArgumentError(`${attrs.geom.op}: bias must be float32 [${channels}] (one per output channel), got ${bias.dtype} [${bias.shape.join(',')}].`);
    }
    if (attrs.activation !== 'linear' && attrs.activation !== 'relu') {
      throw new InvalidArgumentError(`${attrs.geom.op}: the fused activation must be 'linear' or 'relu', got '${String(attrs.activation)}'.`);
    }
    return [spec!];
  },
  kernel(inputs, [out], { geom, activation }) {
    const [x, filter, bias] = inputs;
    kernels().conv2d(x!, filter!, out!, convInfo('conv2d', geom, x!.shape, filter!.shape));
    if (bias || activation !== 'linear') kernels().biasActivation(out!, bias ?? null, activation, out!);
  },
  grad([dy], inputs, [y], { geom, activation }, needed) {
    const [x, filter, bias] = inputs;
    const dz = activation === 'relu' ? reluGrad(dy!, y!) : dy!;
    const grads: (Tensor | null)[] = [
      needed?.[0] === false ? null : runOp1(conv2dOps.backpropInput, [dz, filter!], { geom, inputShape: x!.shape }),
      needed?.[1] === false ? null : runOp1(conv2dOps.backpropFilter, [x!, dz], { geom, filterShape: filter!.shape }),
    ];
    if (bias) grads.push(needed?.[2] === false ? null : sum(dz, [0, 1, 2]));
    return grads;
  },
};

/**
 * activation(conv2d(x, filter) + bias) in one op (NHWC, HWIO filter, bias [outChannels] or
 * null). Same values as the three ops in sequence.
 */
export function fusedConv2d(x: Tensor, filter: Tensor, bias: Tensor | null, activation: FusedActivation, strides: Pair, pad: Padding, dilations: Pair = 1): Tensor {
  const op = 'conv2d';
  const geom = convGeometry(op, strides, pad, dilations);
  return withBatch(op, 'x', x, (x4) => runOp1(fusedConv2dOp, bias ? [x4, filter, bias] : [x4, filter], { geom, activation }));
}

