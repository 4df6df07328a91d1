// relu's gradient as its own op, shared by relu and the fused ops' gradients (not a public op).
import type { Tensor } from '../core/tensor.js';
import { runOp1, type OpDef } from './engine.js';
import { NUMERIC } from './dtype-sets.js';
import { binaryOpDef } from './binary-def.js';

/**
 * relu's gradient dy · step(x) as one kernel pass (same values as the product, no step tensor).
 * Its own gradient reaches dy only: step is flat in x.
 */
const reluGradOp: OpDef<void> = binaryOpDef('reluGrad', NUMERIC, false, ([g], [, x]) => [reluGrad(g!, x!), null]);

/** dy where x > 0, else 0: the gradient of relu at x (x may also be relu's output). */
export function reluGrad(dy: Tensor, x: Tensor): Tensor {
  return runOp1(reluGradOp, [dy, x], undefined);
}
