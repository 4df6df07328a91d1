/**
 * `nb.compat.v1` (also `nb.v1`): the TensorFlow 1 graph API — Graph, placeholder, Variable,
 * Session, gradients, the TF1 optimizers, Saver, graph freezing and graph I/O — built on nabla's
 * graph mode, which reuses the ordinary op definitions and gradient rules.
 *
 * @example
 * ```ts
 * const v1 = nb.v1;
 * const g = new v1.Graph();
 * const [a, b, y] = g.asDefault(() => {
 *   const a = v1.placeholder('int32', [], 'a');
 *   const b = v1.placeholder('int32', [], 'b');
 *   return [a, b, nb.add(a, b)];
 * });
 * new v1.Session(g).run(y, {a: 3, b: 4}).item(); // 7
 * ```
 */
import { getDefaultGraph } from '../graph/graph.js';
export {
  Graph,
  GraphNode as Operation,
  SymbolicTensor,
  getDefaultGraph,
  resetDefaultGraph,
  disableEagerExecution,
  enableEagerExecution,
  executingEagerly,
  placeholder,
  GraphVariable as Variable,
  group,
  globalVariablesInitializer,
  globalVariables,
  trainableVariables,
  Session,
  gradients,
  assign,
  assignAdd,
  assignSub,
  importGraphDef,
  type GraphDef,
  GraphMismatchError,
  MissingFeedError,
  UninitializedVariableError,
  type Fetch,
  type FeedDict,
  type GraphVariableOptions as VariableOptions,
} from '../graph/index.js';
export * as train from './train.js';
export * as graphUtil from './graph-util.js';
export * as io from './io.js';

/** Runs `fn` with node names prefixed by `name/` in the default graph (`tf.name_scope`). */
export function nameScope<T>(name: string, fn: () => T): T {
  return getDefaultGraph().nameScope(name, fn);
}
