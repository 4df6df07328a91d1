import type { DType } from '../core/dtype.js';
import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { toTensor, type TensorLike } from '../ops/creation.js';
import { cast } from '../ops/logical.js';
import { getDefaultGraph, suspendGraphs, type Graph } from './graph.js';
import type { GraphNode } from './node.js';
import { SymbolicTensor } from './symbolic.js';

export interface GraphVariableOptions {
  /** Node name (made unique in the graph); default 'Variable'. */
  name?: string;
  /** Whether `minimize` trains it by default (default true). */
  trainable?: boolean;
  /** Converts the initial value to this dtype. */
  dtype?: DType;
}

/**
 * A graph variable (TensorFlow's `tf.compat.v1.Variable`): a tensor of the graph whose value
 * lives in each Session. Its `initializer` op sets it from the initial value — a constant, or a
 * graph tensor such as `nb.randomNormal([4, 3])` built in the same graph — and
 * `globalVariablesInitializer()` groups all of them. `assign*` return update ops to run.
 *
 * @example
 * ```ts
 * nb.v1.disableEagerExecution();
 * const w = new nb.v1.Variable(nb.zeros([3]), {name: 'w'});
 * const inc = w.assignAdd(nb.ones([3]));
 * const sess = new nb.v1.Session();
 * sess.run(nb.v1.globalVariablesInitializer());
 * sess.run(inc); // [1, 1, 1]
 * ```
 */
export class GraphVariable extends SymbolicTensor {
  /** The op that sets the variable to its initial value. */
  readonly initializer: GraphNode;
  readonly trainable: boolean;
  /** The initial value (a graph tensor). */
  readonly initialValue: SymbolicTensor;

  constructor(initialValue: TensorLike, options: GraphVariableOptions = {}) {
    const g = getDefaultGraph();
    const init = liftInitial(g, initialValue, options.dtype);
    const node = g.addNode('variable', options.name ?? 'Variable', []);
    super(node, 0, init.shape, init.dtype);
    node.outputs.push(this);
    node.trainable = options.trainable ?? true;
    this.trainable = node.trainable;
    this.initialValue = init;
    g.variableNodes.push(node);
    g.variableObjects.set(node.id, this);
    this.initializer = assignNode(g, node, init, 'assign', `${node.name}/Assign`);
    g.initializers.set(node.id, this.initializer);
  }

  /** The variable's node name (TensorFlow's `var.op.name`). */
  get opName(): string {
    return this.node.name;
  }

  /** An op (and tensor, its output 0) setting the variable to `value` when run. */
  assign(value: TensorLike): SymbolicTensor {
    return assignNode(this.node.graph, this.node, this.node.graph.lift(asTensor(value, this.dtype)), 'assign').outputs[0]!;
  }

  /** An op adding `delta` to the variable when run; its output is the new value. */
  assignAdd(delta: TensorLike): SymbolicTensor {
    return assignNode(this.node.graph, this.node, this.node.graph.lift(asTensor(delta, this.dtype)), 'add').outputs[0]!;
  }

  /** An op subtracting `delta` from the variable when run; its output is the new value. */
  assignSub(delta: TensorLike): SymbolicTensor {
    return assignNode(this.node.graph, this.node, this.node.graph.lift(asTensor(delta, this.dtype)), 'sub').outputs[0]!;
  }

  override toString(): string {
    return `<nb.v1.Variable '${this.node.name}' shape=(${this.shape.join(', ')}) dtype=${this.dtype}>`;
  }
}

function asTensor(v: TensorLike, dtype: DType): Tensor {
  return v instanceof Tensor ? v : suspendGraphs(() => toTensor(v, 'Variable', 'value', dtype));
}

function liftInitial(g: Graph, v: TensorLike | (() => Tensor), dtype?: DType): SymbolicTensor {
  const value = typeof v === 'function' ? g.asDefault(v) : v;
  let t = g.lift(asTensor(value, dtype ?? (value instanceof Tensor ? value.dtype : 'float32')));
  if (dtype !== undefined && t.dtype !== dtype) t = g.asDefault(() => cast(t, dtype)) as SymbolicTensor;
  if (t.shape.includes(-1)) {
    throw new InvalidArgumentError(`Variable: the initial value '${t.name}' has an unknown dimension; a variable needs a fully known shape.`);
  }
  return t;
}

/** An assign node writing `value` into the variable (or capture) node `target`. @internal */
export function assignNode(g: Graph, target: GraphNode, value: SymbolicTensor, mode: 'assign' | 'add' | 'sub', name?: string): GraphNode {
  const ref = target.outputs[0]!;
  if (value.dtype !== ref.dtype) {
    throw new InvalidArgumentError(`Variable '${target.name}': cannot assign a ${value.dtype} value to a ${ref.dtype} variable; cast it first.`);
  }
  const n = g.addNode('assign', name === undefined ? `${target.name}/${mode === 'assign' ? 'Assign' : mode === 'add' ? 'AssignAdd' : 'AssignSub'}` : '', [value], name);
  n.target = target;
  n.mode = mode;
  g.addOutput(n, ref.shape, ref.dtype);
  return n;
}

/** An op with no output that runs all `ops` (TensorFlow's `tf.group`). */
export function group(ops: readonly (GraphNode | SymbolicTensor)[], name = 'group'): GraphNode {
  const g = ops.length > 0 ? (ops[0] instanceof SymbolicTensor ? ops[0].node.graph : (ops[0] as GraphNode).graph) : getDefaultGraph();
  const n = g.addNode('group', name, []);
  for (const o of ops) n.controlInputs.push(o instanceof SymbolicTensor ? o.node : o);
  return n;
}

/** One op running every variable initializer of `graph` (default: the default graph). */
export function globalVariablesInitializer(graph: Graph = getDefaultGraph()): GraphNode {
  const g = graph;
  return group([...g.initializers.values()], 'init');
}

/** The graph variables of the default graph (TensorFlow's `global_variables()`). */
export function globalVariables(graph: Graph = getDefaultGraph()): SymbolicTensor[] {
  return graph.variableNodes.map((n) => graph.variableObjects.get(n.id)!);
}

/** The trainable graph variables of the default graph. */
export function trainableVariables(graph: Graph = getDefaultGraph()): SymbolicTensor[] {
  return graph.variableNodes.filter((n) => n.trainable).map((n) => graph.variableObjects.get(n.id)!);
}
