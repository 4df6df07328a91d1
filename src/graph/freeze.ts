import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Graph } from './graph.js';
import type { GraphNode } from './node.js';
import type { Session } from './session.js';
import { toGraphDef, type GraphDef } from './graph-def.js';
import { UninitializedVariableError } from './errors.js';

/**
 * Freezes a graph (TensorFlow's `graph_util.convert_variables_to_constants`): the nodes that
 * `outputNodeNames` need, with every variable (and captured eager variable) replaced by a
 * constant holding its current value in `sess`. The result is a `GraphDef` ready for
 * `io.writeGraph` or `importGraphDef`; training nodes (initializers, updates) are left out.
 *
 * @example
 * ```ts
 * const frozen = nb.v1.graphUtil.convertVariablesToConstants(sess, sess.graph, ['probs']);
 * nb.v1.io.writeGraph(frozen, 'out', 'frozen');
 * ```
 */
export function convertVariablesToConstants(sess: Session, graph: Graph, outputNodeNames: readonly string[]): GraphDef {
  if (graph !== sess.graph) {
    throw new InvalidArgumentError(`convertVariablesToConstants: the session runs another graph (#${sess.graph.id}) than the one given (#${graph.id}).`);
  }
  if (outputNodeNames.length === 0) {
    throw new InvalidArgumentError('convertVariablesToConstants: name at least one output node (e.g. the prediction op).');
  }
  const replace = new Map<GraphNode, Tensor>();
  for (const n of graph.nodes) {
    if (n.kind === 'variable') {
      const v = sess.variables.get(n.id);
      if (v !== undefined) replace.set(n, v);
    } else if (n.kind === 'capture') replace.set(n, n.captured!.read());
  }
  const def = toGraphDef(graph, { outputs: outputNodeNames.map((s) => s.replace(/:\d+$/, '')), replace });
  const left = def.nodes.find((d) => d.kind === 'variable');
  if (left !== undefined) {
    throw new UninitializedVariableError(
      `convertVariablesToConstants: variable '${left.name}' has no value in this session; initialize or restore it before freezing.`,
    );
  }
  return def;
}
