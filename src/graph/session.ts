import { DTypeError, InvalidArgumentError, ShapeError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { toTensor, type TensorLike } from '../ops/creation.js';
import { runOp } from '../ops/engine.js';
import { add, sub } from '../ops/arithmetic.js';
import { getDefaultGraph, suspendGraphs, type Graph } from './graph.js';
import { GraphNode } from './node.js';
import { SymbolicTensor } from './symbolic.js';
import { GraphMismatchError, MissingFeedError, UninitializedVariableError } from './errors.js';

/** What `Session.run` can fetch: a tensor, an op, or nested arrays/records of them. */
export type Fetch = Tensor | GraphNode | readonly Fetch[] | { readonly [k: string]: Fetch };

/** The values `run` returns, in the shape of the fetches (ops give null). */
export type FetchResult<F> = F extends Tensor ? Tensor : F extends GraphNode ? null : { [K in keyof F]: FetchResult<F[K]> };

/**
 * Feeds: a record keyed by placeholder (or tensor) name — `{x: batch}` or `{'x:0': batch}` —, a
 * `Map` keyed by tensors, or a list of `[tensor, value]` pairs.
 */
export type FeedDict =
  | Readonly<Record<string, TensorLike>>
  | ReadonlyMap<SymbolicTensor, TensorLike>
  | readonly (readonly [SymbolicTensor, TensorLike])[];

/**
 * Runs graphs (TensorFlow's `tf.Session`): `run(fetches, feedDict)` executes only the nodes the
 * fetches need, in topological order, through the ordinary eager kernels. Graph variables keep
 * their values in the Session.
 *
 * @example
 * ```ts
 * const g = new nb.v1.Graph();
 * const [a, b, y] = g.asDefault(() => {
 *   const a = nb.v1.placeholder('int32', [], 'a');
 *   const b = nb.v1.placeholder('int32', [], 'b');
 *   return [a, b, nb.add(a, b)];
 * });
 * const sess = new nb.v1.Session(g);
 * sess.run(y, {a: 3, b: 4}).item(); // 7
 * ```
 */
export class Session {
  readonly graph: Graph;
  /** Values of the graph variables, by variable node id. */
  readonly variables = new Map<number, Tensor>();
  private closed = false;

  constructor(graph?: Graph) {
    this.graph = graph ?? getDefaultGraph();
  }

  /** Frees the variable values; the session cannot run afterwards. */
  close(): void {
    this.variables.clear();
    this.closed = true;
  }

  /** Runs the fetches. See the class documentation. */
  run<F extends Fetch>(fetches: F, feedDict?: FeedDict): FetchResult<F> {
    if (this.closed) throw new InvalidArgumentError('Session.run: this session is closed; create a new Session.');
    const targets: GraphNode[] = [];
    const wanted: SymbolicTensor[] = [];
    collect(fetches, (f) => {
      const node = f instanceof SymbolicTensor ? f.node : f;
      if (node.graph !== this.graph) {
        throw new GraphMismatchError(
          `Session.run: fetch '${f instanceof SymbolicTensor ? f.name : node.name}' belongs to graph #${node.graph.id}, ` +
            `but this session runs graph #${this.graph.id}; create the Session with that graph.`,
        );
      }
      targets.push(node);
      if (f instanceof SymbolicTensor) wanted.push(f);
    });
    const values = this.feedValues(feedDict);
    const order = this.plan(targets, values);
    suspendGraphs(() => {
      for (const n of order) this.execute(n, values);
    });
    return rebuild(fetches, (f) => (f instanceof SymbolicTensor ? values.get(f.id)! : null)) as FetchResult<F>;
  }

  private feedValues(feedDict: FeedDict | undefined): Map<number, Tensor> {
    const values = new Map<number, Tensor>();
    if (feedDict === undefined) return values;
    let pairs: [SymbolicTensor, TensorLike][];
    if (feedDict instanceof Map) pairs = [...(feedDict as Map<SymbolicTensor, TensorLike>).entries()];
    else if (Array.isArray(feedDict)) pairs = (feedDict as [SymbolicTensor, TensorLike][]).map(([k, v]) => [k, v]);
    else {
      pairs = Object.entries(feedDict as Record<string, TensorLike>).map(([name, v]) => {
        let t: SymbolicTensor;
        try {
          t = this.graph.getTensor(name);
        } catch {
          throw new InvalidArgumentError(
            `Session.run: feed '${name}' names no tensor of this graph; feed placeholders by their name (e.g. {x: ...}) or pass a Map keyed by tensors.`,
          );
        }
        return [t, v];
      });
    }
    for (const [key, v] of pairs) {
      if (!(key instanceof SymbolicTensor) || key.node.graph !== this.graph) {
        throw new GraphMismatchError(`Session.run: a feed key is not a tensor of this session's graph (#${this.graph.id}).`);
      }
      values.set(key.id, checkFeed(key, v));
    }
    return values;
  }

  /** Nodes to execute for `targets`, dependencies first, stopping at fed tensors. */
  private plan(targets: GraphNode[], fed: Map<number, Tensor>): GraphNode[] {
    const order: GraphNode[] = [];
    const state = new Map<GraphNode, number>();
    const visit = (root: GraphNode): void => {
      const stack: [GraphNode, number][] = [[root, 0]];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const [n, i] = top;
        if (i === 0) {
          if (state.has(n)) {
            stack.pop();
            continue;
          }
          state.set(n, 1);
        }
        const deps = n.inputs.length + n.controlInputs.length;
        if (i < deps) {
          top[1]++;
          const dep = i < n.inputs.length ? n.inputs[i]! : n.controlInputs[i - n.inputs.length]!;
          if (dep instanceof SymbolicTensor) {
            if (!fed.has(dep.id) && !state.has(dep.node)) stack.push([dep.node, 0]);
          } else if (!state.has(dep)) stack.push([dep, 0]);
          continue;
        }
        stack.pop();
        state.set(n, 2);
        if (!(n.outputs.length > 0 && n.outputs.every((o) => fed.has(o.id)))) order.push(n);
      }
    };
    for (const t of targets) visit(t);
    return order;
  }

  private execute(n: GraphNode, values: Map<number, Tensor>): void {
    switch (n.kind) {
      case 'placeholder':
        throw new MissingFeedError(
          `Session.run: placeholder '${n.name}' (shape ${formatShape(n.outputs[0]!.shape)}, ${n.outputs[0]!.dtype}) needs a value; ` +
            `feed it: sess.run(fetches, {'${n.name}': value}).`,
        );
      case 'const':
        values.set(n.outputs[0]!.id, n.value!);
        return;
      case 'capture':
        values.set(n.outputs[0]!.id, n.captured!);
        return;
      case 'variable': {
        const v = this.variables.get(n.id);
        if (v === undefined) {
          throw new UninitializedVariableError(
            `Session.run: variable '${n.name}' is read before it was initialized in this session; ` +
              `run nb.v1.globalVariablesInitializer() (or its initializer) first, or restore a checkpoint.`,
          );
        }
        values.set(n.outputs[0]!.id, v);
        return;
      }
      case 'assign': {
        const target = n.target!;
        const value = values.get(n.inputs[0]!.id)!;
        const cur = target.kind === 'capture' ? target.captured! : this.variables.get(target.id);
        const ref = target.outputs[0]!;
        if (value.dtype !== ref.dtype || value.shape.length !== ref.shape.length || value.shape.some((d, i) => ref.shape[i]! >= 0 && d !== ref.shape[i])) {
          throw new ShapeError(
            `Session.run: '${n.name}' assigns a value of shape ${formatShape(value.shape)} (${value.dtype}) to variable '${target.name}' of shape ${formatShape(ref.shape)} (${ref.dtype}).`,
          );
        }
        let next = value;
        if (n.mode !== 'assign') {
          if (cur === undefined) {
            throw new UninitializedVariableError(`Session.run: '${n.name}' updates variable '${target.name}' before it was initialized; run the initializer first.`);
          }
          next = n.mode === 'add' ? add(cur, value) : sub(cur, value);
        }
        if (target.kind === 'capture') target.captured!.replaceValues(next.values.slice());
        else this.variables.set(target.id, new Tensor(next.shape, next.dtype, next.values));
        values.set(n.outputs[0]!.id, next);
        return;
      }
      case 'group':
        return;
      case 'op': {
        const ins = n.inputs.map((i) => values.get(i.id)!);
        const outs = runOp(n.def!, ins, n.attrs);
        for (let i = 0; i < outs.length; i++) values.set(n.outputs[i]!.id, outs[i]!);
        return;
      }
    }
  }
}

function checkFeed(ph: SymbolicTensor, v: TensorLike): Tensor {
  if (v instanceof SymbolicTensor) {
    throw new InvalidArgumentError(`Session.run: the value fed to '${ph.name}' is itself a graph tensor; feed numbers, arrays or eager tensors.`);
  }
  if (v instanceof Tensor && v.dtype !== ph.dtype) {
    throw new DTypeError(
      `Session.run: '${ph.node.name}' expects ${ph.dtype} but was fed a ${v.dtype} tensor; cast the value (nb.cast(value, '${ph.dtype}')).`,
    );
  }
  let t: Tensor;
  try {
    t = suspendGraphs(() => toTensor(v, 'Session.run', `feed '${ph.node.name}'`, ph.dtype));
  } catch (e) {
    throw new DTypeError(`Session.run: the value fed to '${ph.node.name}' cannot be converted to ${ph.dtype}: ${(e as Error).message}`);
  }
  if (t.dtype !== ph.dtype) {
    throw new DTypeError(`Session.run: '${ph.node.name}' expects ${ph.dtype} but was fed ${t.dtype} values; cast the value.`);
  }
  const want = ph.shape;
  if (t.shape.length !== want.length || t.shape.some((d, i) => want[i]! >= 0 && want[i] !== d)) {
    throw new ShapeError(
      `Session.run: '${ph.node.name}' expects shape ${formatShape(want)} but was fed shape ${formatShape(t.shape)}; ` +
        `reshape the value (? marks a dimension of any size).`,
    );
  }
  return t;
}

function collect(f: Fetch, visit: (f: SymbolicTensor | GraphNode) => void): void {
  if (f instanceof SymbolicTensor || f instanceof GraphNode) visit(f);
  else if (f instanceof Tensor) {
    throw new InvalidArgumentError('Session.run: a fetch is an eager tensor (it already has values); fetch tensors built in the graph.');
  }
  else if (Array.isArray(f)) for (const x of f) collect(x, visit);
  else if (f !== null && typeof f === 'object') for (const x of Object.values(f)) collect(x as Fetch, visit);
  else throw new InvalidArgumentError(`Session.run: cannot fetch ${String(f)}; fetch graph tensors, ops, or arrays/records of them.`);
}

function rebuild(f: Fetch, leaf: (f: SymbolicTensor | GraphNode) => Tensor | null): unknown {
  if (f instanceof SymbolicTensor || f instanceof GraphNode) return leaf(f);
  if (Array.isArray(f)) return f.map((x) => rebuild(x, leaf));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(f)) out[k] = rebuild(x as Fetch, leaf);
  return out;
}
