// Training-mode batch normalisation over the last (channel) axis as one op each way: the
// statistics, the normalisation and the affine transform in one call forward, and the three
// gradients in one call backward (TensorFlow's FusedBatchNorm), instead of ~8 ops forward and
// ~15 backward over activation-sized tensors.
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../backend/registry.js';
import { observers, runOp, type OpDef, type TensorSpec } from './engine.js';
import { add, div, mul, sub } from './arithmetic.js';

interface Attrs {
  epsilon: number;
  hasGamma: boolean;
  hasBeta: boolean;
}

function checkChannelParam(name: string, spec: TensorSpec | undefined, channels: number): void {
  if (!spec || spec.dtype !== 'float32' || spec.shape.length !== 1 || spec.shape[0] !== channels) {
    throw new InvalidArgumentError(`fusedBatchNorm: ${name} must be float32 [${channels}] (one per channel), got ${spec ? `${spec.dtype} [${spec.shape.join(',')}]` : 'nothing'}.`);
  }
}

/** [x, dy, mean, invStd, gamma?] → [dx, dgamma, dbeta]. */
const fusedBatchNormGradOp: OpDef<{ hasGamma: boolean }> = {
  name: 'fusedBatchNormGrad',
  infer([x, , mean]) {
    const c = mean!.shape[0]!;
    return [
      { shape: x!.shape.slice(), dtype: 'float32' },
      { shape: [c], dtype: 'float32' },
      { shape: [c], dtype: 'float32' },
    ];
  },
  kernel(inputs, [dx, dgamma, dbeta], { hasGamma }) {
    const [x, dy, mean, invStd, gamma] = inputs;
    kernels().batchNormTrainGrad(x!, dy!, mean!, invStd!, hasGamma ? gamma! : null, dx!, dgamma!, dbeta!);
  },
  grad() {
    throw new InvalidArgumentError(
      'BatchNormalization: second-order gradients through the fused batch norm are not available; record with nested GradientTapes (the layer then uses its op-by-op form).',
    );
  },
};

/** [x, gamma?, beta?] → [y, mean, variance, invStd]; statistics over every axis but the last. */
const fusedBatchNormOp: OpDef<Attrs> = {
  name: 'fusedBatchNorm',
  infer(inputs, { epsilon, hasGamma, hasBeta }) {
    const x = inputs[0]!;
    if (x.dtype !== 'float32' || x.shape.length < 1) {
      throw new InvalidArgumentError(`fusedBatchNorm: x must be float32 with a channel axis, got ${x.dtype} [${x.shape.join(',')}].`);
    }
    if (!(epsilon >= 0)) throw new InvalidArgumentError(`fusedBatchNorm: epsilon must be >= 0, got ${epsilon}.`);
    const c = x.shape[x.shape.length - 1]!;
    if (inputs.length !== 1 + Number(hasGamma) + Number(hasBeta)) throw new InvalidArgumentError('fusedBatchNorm: the inputs do not match hasGamma/hasBeta.');
    if (hasGamma) checkChannelParam('gamma', inputs[1], c);
    if (hasBeta) checkChannelParam('beta', inputs[hasGamma ? 2 : 1], c);
    const stat: TensorSpec = { shape: [c], dtype: 'float32' };
    return [{ shape: x.shape.slice(), dtype: 'float32' }, stat, stat, stat];
  },
  kernel(inputs, [y, mean, variance, invStd], { epsilon, hasGamma, hasBeta }) {
    const gamma = hasGamma ? inputs[1]! : null;
    const beta = hasBeta ? inputs[hasGamma ? 2 : 1]! : null;
    kernels().batchNormTrain(inputs[0]!, gamma, beta, epsilon, y!, mean!, variance!, invStd!);
  },
  grad(dys, inputs, [, mean, , invStd], { hasGamma, hasBeta }) {
    const x = inputs[0]!;
    const gamma = hasGamma ? inputs[1]! : undefined;
    const [dyIn, dMean, dVariance] = dys;
    const dy = dyIn ?? mul(x, 0);
    const [dxNorm, dgamma, dbeta] = runOp(fusedBatchNormGradOp, gamma ? [x, dy, mean!, invStd!, gamma] : [x, dy, mean!, invStd!], { hasGamma });
    let dx = dxNorm!;
    // Gradients reaching the returned statistics (rare: the moving averages stop them).
    const rows = x.size / Math.max(1, mean!.size);
    if (dMean) dx = add(dx, div(dMean, rows));
    if (dVariance) dx = add(dx, mul(sub(x, mean!), div(mul(dVariance, 2), rows)));
    const grads: (Tensor | null)[] = [dx];
    if (hasGamma) grads.push(dgamma!);
    if (hasBeta) grads.push(dbeta!);
    return grads;
  },
};

/**
 * Whether the fused op can run: at most one gradient tape recording (nested tapes ask for
 * second-order gradients, which the op-by-op form provides).
 */
export function canFuseBatchNorm(x: Tensor): boolean {
  return observers.length <= 1 && x.dtype === 'float32';
}

/**
 * Batch normalisation in training over every axis but the last: y = (x − mean)/sqrt(variance +
 * epsilon)·gamma + beta with the batch's mean and (biased) variance per channel, also returned.
 */
export function fusedBatchNorm(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const [y, mean, variance] = runOp(fusedBatchNormOp, inputs, { epsilon, hasGamma: gamma !== null, hasBeta: beta !== null });
  return { y: y!, mean: mean!, variance: variance! };
}

export { fusedBatchNormOp, fusedBatchNormGradOp };
