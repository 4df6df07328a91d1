import * as ops from '../ops/index.js';
import { Tensor } from '../core/tensor.js';
import { Graph } from './graph.js';
import { gradients } from './gradients.js';
import { placeholder } from './placeholder.js';
import { registerOpDef, setCatalogue } from './op-registry.js';
import { deferredGradOp } from './deferred-grad.js';
import { countOp, fillLikeOp } from './dynamic-ops.js';
import { fusedConv2dOp } from '../ops/fused-conv.js';
import { fusedDenseOp } from '../ops/fused-dense.js';
import { sparseSoftmaxCrossEntropyOp } from '../ops/softmax-ce.js';
import { keepMaskOp, labelRangeOp } from '../ops/nn.js';
import { fusedBatchNormGradOp, fusedBatchNormOp } from '../ops/batch-norm-train.js';

/**
 * Op definitions are private to their modules; graphs name them. To import a graph built in
 * another process, trace every public op once, with a few argument patterns, into a scratch
 * graph (and its gradients, which use further ops): building registers each definition by name.
 * Nothing runs and no random stream is consumed — building a graph only infers shapes.
 */
function traceCatalogue(): void {
  for (const d of [deferredGradOp, countOp, fillLikeOp, fusedConv2dOp, fusedDenseOp, sparseSoftmaxCrossEntropyOp, fusedBatchNormOp, fusedBatchNormGradOp, labelRangeOp, keepMaskOp]) registerOpDef(d as never);
  const g = new Graph();
  g.asDefault(() => {
    const f = placeholder('float32', [2, 2], 'f');
    const f4 = placeholder('float32', [1, 4, 4, 2], 'f4');
    const k = placeholder('float32', [2, 2, 2, 2], 'k');
    const i = placeholder('int32', [2, 2], 'i');
    const b = placeholder('bool', [2, 2], 'b');
    const argSets: unknown[][] = [[f], [f, f], [i], [i, i], [b], [b, b], [f, 0], [f4, k, 1, 'same'], [f4, 2, 2, 'valid'], [i, 3], [[2, 2]], [f, [0, 1]]];
    for (const [name, fn] of Object.entries(ops)) {
      if (typeof fn !== 'function' || /^(variable|tensor|scalar|fill|zeros|ones|range|linspace|eye)/.test(name)) continue;
      for (const args of argSets) {
        try {
          const out = (fn as (...a: unknown[]) => unknown)(...args);
          const list = (Array.isArray(out) ? out : [out]).filter((t): t is Tensor => t instanceof Tensor);
          const floats = list.filter((t) => t.dtype === 'float32');
          if (floats.length > 0) gradients(floats.map((t) => ops.sum(t)), args.filter((a): a is Tensor => a instanceof Tensor && a.dtype === 'float32'));
        } catch {
          // Not this argument pattern; other patterns (or graphs built by the user) register it.
        }
      }
    }
  });
}

setCatalogue(traceCatalogue);
