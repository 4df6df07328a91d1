import type { DType } from '../core/dtype.js';
import { InvalidArgumentError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { Variable } from '../core/variable.js';
import { GraphNode, type NodeKind } from './node.js';
import { SymbolicTensor } from './symbolic.js';
import { GraphMismatchError } from './errors.js';

let nextGraphId = 1;

/**
 * A dataflow graph (TensorFlow's `tf.Graph`): nodes built by ops called while the graph is the
 * default (`graph.asDefault(fn)`, or `nb.v1.disableEagerExecution()`), run by a `Session`.
 *
 * @example
 * ```ts
 * const g = new nb.v1.Graph();
 * const y = g.asDefault(() => nb.add(nb.v1.placeholder('int32', [], 'a'), 1));
 * new nb.v1.Session(g).run(y, {a: 3}); // 4
 * ```
 */
export class Graph {
  readonly id = nextGraphId++;
  readonly nodes: GraphNode[] = [];
  private readonly names = new Map<string, number>();
  private readonly byName = new Map<string, GraphNode>();
  private readonly lifted = new Map<number, SymbolicTensor>();
  private scopes: string[] = [];
  /** Graph variables (`variable` nodes) in creation order, TensorFlow's GLOBAL_VARIABLES. */
  readonly variableNodes: GraphNode[] = [];
  /** Variable objects by node id (set by `nb.v1.Variable`). */
  readonly variableObjects = new Map<number, SymbolicTensor>();
  /** Initializer op of each variable node. */
  readonly initializers = new Map<number, GraphNode>();

  /** Runs `fn` with this graph as the default: ops called inside build nodes here. */
  asDefault<T>(fn: () => T): T {
    enterGraph(this);
    try {
      return fn();
    } finally {
      exitGraph(this);
    }
  }

  /** Runs `fn` with names prefixed by `name/` (TensorFlow's `tf.name_scope`). */
  nameScope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** A node name unique in this graph, under the current name scope. */
  uniqueName(base: string): string {
    const full = this.scopes.length > 0 ? `${this.scopes.join('/')}/${base}` : base;
    const n = this.names.get(full);
    if (n === undefined && !this.byName.has(full)) {
      this.names.set(full, 1);
      return full;
    }
    let k = n ?? 1;
    while (this.byName.has(`${full}_${k}`)) k++;
    this.names.set(full, k + 1);
    return `${full}_${k}`;
  }

  /** Adds a node. Internal: use ops, `placeholder`, `Variable` and friends. @internal */
  addNode(kind: NodeKind, base: string, inputs: readonly SymbolicTensor[], exactName?: string): GraphNode {
    const name = exactName ?? this.uniqueName(base);
    if (this.byName.has(name)) {
      throw new InvalidArgumentError(`Graph: a node named '${name}' already exists; pick another name.`);
    }
    const node = new GraphNode(this, this.nodes.length, name, kind, inputs);
    this.nodes.push(node);
    this.byName.set(name, node);
    return node;
  }

  /** Adds an output tensor to `node`. @internal */
  addOutput(node: GraphNode, shape: readonly number[], dtype: DType): SymbolicTensor {
    const t = new SymbolicTensor(node, node.outputs.length, shape, dtype);
    node.outputs.push(t);
    return t;
  }

  /** A constant node holding `value`. */
  constant(value: Tensor, name = 'Const'): SymbolicTensor {
    const node = this.addNode('const', name, []);
    node.value = value;
    return this.addOutput(node, value.shape, value.dtype);
  }

  /**
   * Makes `t` usable in this graph: a tensor of this graph is returned as is, an eager
   * `nb.Variable` becomes a capture (read when the graph runs), any other eager tensor a constant.
   * A tensor of another graph is an error.
   */
  lift(t: Tensor, op = 'op'): SymbolicTensor {
    if (t instanceof SymbolicTensor) {
      if (t.node.graph === this) return t;
      throw new GraphMismatchError(
        `${op}: tensor '${t.name}' belongs to another graph (graph #${t.node.graph.id}), not to the graph being built (graph #${this.id}); ` +
          `build every tensor of a computation inside the same graph.asDefault(...).`,
      );
    }
    const cached = this.lifted.get(t.id);
    if (cached !== undefined) return cached;
    let out: SymbolicTensor;
    if (t instanceof Variable) {
      const node = this.addNode('capture', t.name.replace(/[^A-Za-z0-9_./-]/g, '_'), []);
      node.captured = t;
      out = this.addOutput(node, t.shape, t.dtype);
    } else {
      out = this.constant(t);
    }
    this.lifted.set(t.id, out);
    return out;
  }

  /** The node called `name`, or the tensor `name:index`. */
  get(name: string): GraphNode | SymbolicTensor {
    const m = /^(.*):(\d+)$/.exec(name);
    const node = this.byName.get(m ? m[1]! : name);
    if (node === undefined) {
      throw new InvalidArgumentError(`Graph.get: no node named '${m ? m[1] : name}' in this graph.`);
    }
    if (!m) return node;
    const t = node.outputs[Number(m[2])];
    if (t === undefined) throw new InvalidArgumentError(`Graph.get: node '${node.name}' has no output ${m[2]}.`);
    return t;
  }

  /** The node called `name`. */
  getOperation(name: string): GraphNode {
    const r = this.get(name.replace(/:\d+$/, ''));
    return r as GraphNode;
  }

  /** The tensor called `name` (`node:index`, or `node` for output 0). */
  getTensor(name: string): SymbolicTensor {
    return this.get(/:\d+$/.test(name) ? name : `${name}:0`) as SymbolicTensor;
  }

  /** Whether a node with this name exists. */
  has(name: string): boolean {
    return this.byName.has(name);
  }
}

const stack: Graph[] = [];
let defaultGraph = new Graph();
let eagerDisabled = false;

/** The graph that ops are building into, or null in eager mode. */
export function currentGraph(): Graph | null {
  return stack.length > 0 ? stack[stack.length - 1]! : null;
}

/** The default graph (`nb.v1.getDefaultGraph()`): the innermost `asDefault` graph, else the global one. */
export function getDefaultGraph(): Graph {
  return currentGraph() ?? defaultGraph;
}

/** Replaces the global default graph with a fresh one. */
export function resetDefaultGraph(): void {
  if (eagerDisabled) {
    stack.splice(stack.indexOf(defaultGraph), 1);
    defaultGraph = new Graph();
    stack.unshift(defaultGraph);
    installBuilder();
  } else defaultGraph = new Graph();
}

/** TF1 mode: from now on ops build nodes in the default graph (until `enableEagerExecution`). */
export function disableEagerExecution(): void {
  if (eagerDisabled) return;
  eagerDisabled = true;
  stack.unshift(defaultGraph);
  installBuilder();
}

/** Back to eager execution after `disableEagerExecution`. */
export function enableEagerExecution(): void {
  if (!eagerDisabled) return;
  eagerDisabled = false;
  const i = stack.indexOf(defaultGraph);
  if (i >= 0) stack.splice(i, 1);
  installBuilder();
}

/** Whether ops run eagerly now (no graph is being built). */
export function executingEagerly(): boolean {
  return stack.length === 0;
}

function enterGraph(g: Graph): void {
  stack.push(g);
  installBuilder();
}

function exitGraph(g: Graph): void {
  const i = stack.lastIndexOf(g);
  if (i >= 0) stack.splice(i, 1);
  installBuilder();
}

/**
 * Suspends graph building (Session execution runs ops eagerly). Returns the restore function.
 * @internal
 */
export function suspendGraphs<T>(fn: () => T): T {
  const saved = stack.splice(0, stack.length);
  installBuilder();
  try {
    return fn();
  } finally {
    stack.splice(0, stack.length, ...saved);
    installBuilder();
  }
}

let install: (() => void) | null = null;
/** Wires the op-dispatch hook (set by build.ts, which imports this module). @internal */
export function setInstaller(fn: () => void): void {
  install = fn;
}
function installBuilder(): void {
  install!();
}
