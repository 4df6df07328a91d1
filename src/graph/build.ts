import type { Tensor } from '../core/tensor.js';
import { observers, setOpBuilder, type OpDef, type OpRecord } from '../ops/engine.js';
import { currentGraph, setInstaller, type Graph } from './graph.js';
import { registerOpDef } from './op-registry.js';

/**
 * The graph-mode side of op dispatch: while a graph is the default, `runOp` calls this instead
 * of running kernels. It runs the op's own shape inference on the symbolic inputs (unknown dims
 * are -1) and adds a node; the op's kernel and gradient rule are reused unchanged when the graph
 * runs or is differentiated. Active gradient tapes see the symbolic op too, so a tape inside
 * `nb.function` records graph ops and its gradient builds graph nodes.
 */
function buildOp(def: OpDef<any>, inputs: readonly Tensor[], attrs: unknown): Tensor[] {
  const g = currentGraph()!;
  return addOpNode(g, def, inputs, attrs);
}

/** Adds an op node to `g` (inputs lifted into it) and returns its outputs. @internal */
export function addOpNode(g: Graph, def: OpDef<any>, inputs: readonly Tensor[], attrs: unknown): Tensor[] {
  const ins = inputs.map((t) => g.lift(t, def.name));
  const specs = def.infer(ins, attrs);
  registerOpDef(def);
  const node = g.addNode('op', def.name, ins);
  node.def = def;
  node.attrs = attrs;
  const outputs = specs.map((s) => g.addOutput(node, s.shape, s.dtype));
  if (observers.length !== 0 && def.grad !== 'nondifferentiable') {
    // The tape sees the caller's tensors (an eager variable stays itself, so it is watched and
    // is a gradient source); a gradient rule using them lifts them into the graph again.
    const record: OpRecord = { def, inputs, outputs, attrs };
    for (let i = 0; i < observers.length; i++) observers[i]!.observe(record);
  }
  return outputs;
}

setInstaller(() => setOpBuilder(currentGraph() === null ? null : buildOp));
