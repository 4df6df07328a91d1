import type { Tensor } from '../core/tensor.js';
import { runOp } from '../ops/engine.js';
import { suspendGraphs, type Graph } from './graph.js';
import type { GraphNode } from './node.js';
import type { SymbolicTensor } from './symbolic.js';

/** What the optimisation passes did to a traced graph. */
export interface PassStats {
  /** Op nodes in the traced graph. */
  opsBefore: number;
  /** Op nodes left to execute. */
  opsAfter: number;
  /** Op nodes evaluated at trace time because all their inputs were constants. */
  folded: number;
  /** Op nodes merged into an identical earlier one (same op, inputs and attributes). */
  merged: number;
  /** Op nodes dropped because no output needs them. */
  removed: number;
  /**
   * Ops of the execution plan that run inside fused element-wise kernels on the native backend
   * (`nb.function` only): a chain of k ops fused into one step counts k.
   */
  fused: number;
}

export interface PassOptions {
  constantFolding?: boolean;
  cse?: boolean;
  /** Reuse the buffers of released intermediates for later outputs (default true; `nb.function` only). */
  reuseBuffers?: boolean;
  /**
   * Run chains of float32 element-wise ops (full-size or scalar operands, intermediates read
   * once, at least 256 elements) as one fused kernel on the native backend (default true;
   * `nb.function` only).
   */
  fuseElementwise?: boolean;
}

/** Ops that draw random numbers (or otherwise differ between runs): never folded or merged. */
const NONDETERMINISTIC = /random|dropout|multinomial|categorical|shuffle|truncated/i;

/**
 * Runs constant folding and common-subexpression elimination in one sweep over `graph` (whose
 * nodes are in topological order), then dead-code elimination from `outputs`. The graph is not
 * changed except for new constant nodes; the result maps each tensor to its replacement and
 * lists the live nodes in execution order.
 */
export function optimize(
  graph: Graph,
  outputs: readonly SymbolicTensor[],
  options: PassOptions = {},
): { live: GraphNode[]; resolve: (t: SymbolicTensor) => SymbolicTensor; stats: PassStats } {
  const fold = options.constantFolding ?? true;
  const cse = options.cse ?? true;
  const replaced = new Map<number, SymbolicTensor>();
  const resolve = (t: SymbolicTensor): SymbolicTensor => replaced.get(t.id) ?? t;
  const seen = new Map<string, GraphNode>();
  let folded = 0;
  let merged = 0;
  let opsBefore = 0;
  const original = graph.nodes.slice();
  for (const n of original) {
    if (n.kind !== 'op') continue;
    opsBefore++;
    const ins = n.inputs.map(resolve);
    const deterministic = !NONDETERMINISTIC.test(n.def!.name) && ins.length > 0;
    if (fold && deterministic && ins.every((i) => i.node.kind === 'const')) {
      const values = suspendGraphs(() => runOp(n.def!, ins.map((i) => i.node.value!), n.attrs));
      values.forEach((v: Tensor, k) => replaced.set(n.outputs[k]!.id, graph.constant(v, `${n.name}/folded`)));
      folded++;
      continue;
    }
    if (cse && deterministic) {
      let key: string | null = null;
      try {
        key = `${n.def!.name}|${ins.map((i) => i.id).join(',')}|${JSON.stringify(n.attrs) ?? ''}`;
      } catch {
        key = null;
      }
      if (key !== null) {
        const prev = seen.get(key);
        if (prev !== undefined && prev.def === n.def) {
          n.outputs.forEach((o, k) => replaced.set(o.id, resolve(prev.outputs[k]!)));
          merged++;
          continue;
        }
        seen.set(key, n);
      }
    }
  }
  // Dead-code elimination: keep what the outputs need (and every variable update).
  const live = new Set<GraphNode>();
  const stack: GraphNode[] = outputs.map((o) => resolve(o).node);
  for (const n of graph.nodes) if (n.kind === 'assign') stack.push(n);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (live.has(n)) continue;
    live.add(n);
    for (const i of n.inputs) stack.push(resolve(i).node);
    for (const c of n.controlInputs) stack.push(c);
  }
  const order = graph.nodes.filter((n) => live.has(n));
  const opsAfter = order.filter((n) => n.kind === 'op').length;
  return { live: order, resolve, stats: { opsBefore, opsAfter, folded, merged, removed: opsBefore - opsAfter - folded - merged, fused: 0 } };
}
