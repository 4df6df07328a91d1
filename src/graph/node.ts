import type { Tensor } from '../core/tensor.js';
import type { Variable } from '../core/variable.js';
import type { OpDef } from '../ops/engine.js';
import type { Graph } from './graph.js';
import type { SymbolicTensor } from './symbolic.js';

/**
 * What a graph node does when it runs:
 * - `op`: an ordinary op (`def`) run through the eager kernels;
 * - `placeholder`: must be fed;
 * - `const`: a fixed tensor (`value`);
 * - `variable`: a graph variable, whose value lives in each Session;
 * - `capture`: an eager `nb.Variable` read at run time (inside `nb.function`);
 * - `assign`: writes its input into the variable node `target` (`mode` assign/add/sub);
 * - `group`: no output, only control inputs (train ops, initializers).
 */
export type NodeKind = 'op' | 'placeholder' | 'const' | 'variable' | 'capture' | 'assign' | 'group';

/**
 * An operation in a graph (TensorFlow's `tf.Operation`). Fetch it in `Session.run` to run it for
 * its effect (it then yields `null`); its outputs are `SymbolicTensor`s.
 */
export class GraphNode {
  readonly outputs: SymbolicTensor[] = [];
  readonly controlInputs: GraphNode[] = [];
  /** For `op` nodes: the op definition and its attributes. */
  def?: OpDef<unknown>;
  attrs?: unknown;
  /** For `const` nodes. */
  value?: Tensor;
  /** For `capture` nodes. */
  captured?: Variable;
  /** For `assign` nodes: the variable (or capture) node written and how. */
  target?: GraphNode;
  mode?: 'assign' | 'add' | 'sub';
  /** For `variable` nodes: whether optimizers train it. */
  trainable?: boolean;

  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly name: string,
    readonly kind: NodeKind,
    readonly inputs: readonly SymbolicTensor[],
  ) {}

  /** The op type: the op definition's name, or the node kind (`Placeholder`, `Const`, ...). */
  get type(): string {
    if (this.kind === 'op') return this.def!.name;
    return this.kind;
  }

  toString(): string {
    return `<nb.v1.Operation '${this.name}' type=${this.type}>`;
  }
}
