import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { OpDef } from '../ops/engine.js';
import { getDefaultGraph, suspendGraphs, type Graph } from './graph.js';
import type { GraphNode, NodeKind } from './node.js';
import { lookupOpDef } from './op-registry.js';
import type { SymbolicTensor } from './symbolic.js';
import { readTensor, WeightsWriter, type TensorEntry } from './tensor-bytes.js';
import { GraphVariable, assignNode } from './variable.js';

/** One node of a serialized graph (docs/FORMATS.md, "Graph files"). */
export interface NodeDef {
  name: string;
  kind: NodeKind;
  /** Op definition name, for `op` nodes. */
  op?: string;
  attrs?: unknown;
  /** Input tensors as `node:index`. */
  inputs: string[];
  controlInputs?: string[];
  outputs: { dtype: string; shape: number[] }[];
  /** For `const` nodes: where the value sits in the weights. */
  value?: TensorEntry;
  /** For `assign` nodes. */
  target?: string;
  mode?: 'assign' | 'add' | 'sub';
  trainable?: boolean;
}

/** A serialized graph: the JSON part and the binary weights it points into. */
export interface GraphDef {
  format: 'nabla-graph';
  version: 1;
  nodes: NodeDef[];
  weights: Uint8Array;
}

/**
 * Serializes `graph`, or with `outputs` only the nodes they need. `replace` substitutes
 * constants for nodes (freezing); `capture` nodes must be frozen first.
 */
export function toGraphDef(graph: Graph, options: { outputs?: readonly string[]; replace?: Map<GraphNode, Tensor> } = {}): GraphDef {
  const replace = options.replace ?? new Map<GraphNode, Tensor>();
  let nodes = graph.nodes;
  if (options.outputs !== undefined) {
    const keep = new Set<GraphNode>();
    const stack = options.outputs.map((n) => graph.getOperation(n));
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (keep.has(n)) continue;
      keep.add(n);
      if (replace.has(n)) continue;
      for (const i of n.inputs) stack.push(i.node);
      for (const c of n.controlInputs) stack.push(c);
      if (n.target) stack.push(n.target);
    }
    nodes = graph.nodes.filter((n) => keep.has(n));
  }
  const w = new WeightsWriter();
  const defs: NodeDef[] = nodes.map((n) => {
    const outputs = n.outputs.map((o) => ({ dtype: o.dtype, shape: [...o.shape] }));
    const rep = replace.get(n);
    if (rep !== undefined) return { name: n.name, kind: 'const', inputs: [], outputs, value: w.add(rep) };
    const d: NodeDef = { name: n.name, kind: n.kind, inputs: n.inputs.map((i) => i.name), outputs };
    if (n.controlInputs.length > 0) d.controlInputs = n.controlInputs.map((c) => c.name);
    if (n.kind === 'op') {
      if (lookupOpDef(n.def!.name) !== n.def) {
        throw new InvalidArgumentError(`writeGraph: two different op definitions are named '${n.def!.name}' (node '${n.name}'); the graph could not be imported unambiguously.`);
      }
      d.op = n.def!.name;
      d.attrs = encodeAttrs(n.attrs, `${n.name} (${n.def!.name})`);
    } else if (n.kind === 'const') d.value = w.add(n.value!);
    else if (n.kind === 'assign') {
      d.target = n.target!.name;
      d.mode = n.mode!;
    } else if (n.kind === 'variable') d.trainable = n.trainable ?? true;
    else if (n.kind === 'capture') {
      throw new InvalidArgumentError(
        `writeGraph: node '${n.name}' reads the eager variable '${n.captured!.name}'; freeze the graph (graphUtil.convertVariablesToConstants) before writing it.`,
      );
    }
    return d;
  });
  return { format: 'nabla-graph', version: 1, nodes: defs, weights: w.bytes() };
}

/** JSON cannot hold Infinity/NaN: they become {"$num": "Infinity"}; other non-JSON values are errors. */
function encodeAttrs(v: unknown, where: string): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $num: String(v) };
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => encodeAttrs(x, where));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = encodeAttrs(x, where);
    return out;
  }
  throw new InvalidArgumentError(`writeGraph: op '${where}' has an attribute that is not plain data (${Object.prototype.toString.call(v)}); it cannot be serialized.`);
}

function decodeAttrs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeAttrs);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['$num'] === 'string' && Object.keys(o).length === 1) return Number(o['$num']);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeAttrs(x);
    return out;
  }
  return v;
}

/**
 * Adds the nodes of `graphDef` to a graph (default: the default graph), names prefixed with
 * `name/` (default 'import', as TensorFlow; '' for none). Returns the graph; find tensors with
 * `graph.getTensor('import/y:0')`.
 *
 * @example
 * ```ts
 * const g = new nb.v1.Graph();
 * nb.v1.importGraphDef(nb.v1.io.readGraph('model/frozen.json'), {graph: g});
 * new nb.v1.Session(g).run(g.getTensor('import/probs'), {'import/x': batch});
 * ```
 */
export function importGraphDef(graphDef: GraphDef, options: { graph?: Graph; name?: string } = {}): Graph {
  if (graphDef?.format !== 'nabla-graph' || graphDef.version !== 1) {
    throw new InvalidArgumentError(`importGraphDef: not a nabla graph (format ${String(graphDef?.format)}, version ${String(graphDef?.version)}); expected format 'nabla-graph' version 1.`);
  }
  const g = options.graph ?? getDefaultGraph();
  const prefix = options.name ?? 'import';
  const nm = (n: string): string => (prefix === '' ? n : `${prefix}/${n}`);
  const tensors = new Map<string, SymbolicTensor>();
  const nodes = new Map<string, GraphNode>();
  const inputOf = (s: string, who: string): SymbolicTensor => {
    const t = tensors.get(s);
    if (t === undefined) throw new InvalidArgumentError(`importGraphDef: node '${who}' reads '${s}', which is not defined before it.`);
    return t;
  };
  const pendingVars: [NodeDef, GraphVariable][] = [];
  g.asDefault(() => {
    for (const d of graphDef.nodes) {
      const ins = d.inputs.map((s) => inputOf(s, d.name));
      let node: GraphNode;
      if (d.kind === 'op') {
        const def: OpDef<unknown> | undefined = lookupOpDef(d.op!);
        if (def === undefined) {
          throw new NotFoundError(`importGraphDef: node '${d.name}' uses op '${d.op}', which this version of nabla does not define.`);
        }
        node = g.addNode('op', '', ins, nm(d.name));
        node.def = def;
        node.attrs = decodeAttrs(d.attrs);
        for (const o of d.outputs) g.addOutput(node, o.shape, o.dtype as Tensor['dtype']);
      } else if (d.kind === 'const') {
        node = g.addNode('const', '', [], nm(d.name));
        node.value = suspendGraphs(() => readTensor(graphDef.weights, d.value!, `importGraphDef '${d.name}'`));
        g.addOutput(node, node.value.shape, node.value.dtype);
      } else if (d.kind === 'placeholder' || d.kind === 'group') {
        node = g.addNode(d.kind, '', [], nm(d.name));
        for (const o of d.outputs) g.addOutput(node, o.shape, o.dtype as Tensor['dtype']);
      } else if (d.kind === 'variable') {
        node = g.addNode('variable', '', [], nm(d.name));
        node.trainable = d.trainable ?? true;
        const v = Object.setPrototypeOf(g.addOutput(node, d.outputs[0]!.shape, d.outputs[0]!.dtype as Tensor['dtype']), GraphVariable.prototype) as GraphVariable;
        g.variableNodes.push(node);
        g.variableObjects.set(node.id, v);
        pendingVars.push([d, v]);
      } else if (d.kind === 'assign') {
        const target = nodes.get(d.target!);
        if (target === undefined) throw new InvalidArgumentError(`importGraphDef: '${d.name}' assigns to unknown variable '${d.target}'.`);
        node = assignNode(g, target, ins[0]!, d.mode!, nm(d.name));
        if (target.outputs[0]!.name && d.name === `${d.target}/Assign` && d.mode === 'assign') g.initializers.set(target.id, node);
      } else {
        throw new InvalidArgumentError(`importGraphDef: node '${d.name}' has unknown kind '${String(d.kind)}'.`);
      }
      nodes.set(d.name, node);
      node.outputs.forEach((o, i) => tensors.set(`${d.name}:${i}`, o));
    }
    for (const d of graphDef.nodes) {
      for (const c of d.controlInputs ?? []) {
        const n = nodes.get(c);
        if (n === undefined) throw new InvalidArgumentError(`importGraphDef: '${d.name}' depends on unknown node '${c}'.`);
        nodes.get(d.name)!.controlInputs.push(n);
      }
    }
  });
  return g;
}
