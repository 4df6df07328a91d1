import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { add, div, mul } from '../ops/arithmetic.js';
import { reshape } from '../ops/reshape.js';
import type { GradFn } from '../ops/engine.js';
import type { GraphNode } from './node.js';
import { SymbolicTensor } from './symbolic.js';
import { countOf, fillLike } from './dynamic-ops.js';
import { GraphMismatchError } from './errors.js';
import { deferredGrad } from './deferred-grad.js';

type ReduceAttrs = { axes: number[]; keepDims: boolean };

/**
 * Where an op's eager gradient rule reads a static shape that the graph does not know (a -1
 * dimension), a rule that reads it when the graph runs. Only used when the input has unknown dims.
 */
const dynamicRules: Record<string, GradFn<any>> = {
  sum: ([dy], [x], _o, { axes }: ReduceAttrs) => [expandDynamic(dy!, x!, axes)],
  mean: ([dy], [x], _o, { axes }: ReduceAttrs) => [div(expandDynamic(dy!, x!, axes), countOf(x!, axes))],
};

/**
 * Ops whose gradient rules stay correct when shapes hold unknown (-1) dims: element-wise ops
 * (dy has the input's shape, or is summed back with a reshape that resolves one -1 at run time),
 * matMul, reshape, softmax. Any other op with unknown input dims gets a deferred gradient node
 * (deferred-grad.ts), which runs its rule when the graph runs and the shapes are known.
 */
const SHAPE_SAFE = new Set(
  (
    'step abs exp expm1 log log1p sqrt rsqrt square reciprocal sigmoid tanh relu relu6 elu selu leakyRelu softplus erf gelu sin cos sign floor ceil round clip ' +
    'reluGrad add sub mul div pow maximum minimum squaredDifference neg cast matMul reshape softmax logSoftmax stopGradient'
  ).split(' '),
);

function expandDynamic(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return mul(reshape(dy, keep), fillLike(x, 1));
}

function asList(t: Tensor | readonly Tensor[], what: string): Tensor[] {
  const list = Array.isArray(t) ? [...(t as readonly Tensor[])] : [t as Tensor];
  if (list.length === 0) throw new InvalidArgumentError(`gradients: ${what} is empty; pass at least one tensor.`);
  return list;
}

/**
 * Symbolic gradients (TensorFlow's `tf.gradients`): builds graph nodes computing
 * d(sum of ys)/d(xs), by walking the graph backwards and applying each op's own gradient rule —
 * the rules eager tapes use. `gradYs` weights each y (default ones). A source that does not
 * influence any y gets null. Call it again on its result for second-order gradients.
 *
 * @example
 * ```ts
 * const g = new nb.v1.Graph();
 * g.asDefault(() => {
 *   const x = nb.v1.placeholder('float32', [], 'x');
 *   const [dx] = nb.v1.gradients(nb.mul(x, x), [x]);
 *   new nb.v1.Session(g).run(dx!, {x: 3}); // 6
 * });
 * ```
 */
export function gradients(
  ys: Tensor | readonly Tensor[],
  xs: Tensor | readonly Tensor[],
  gradYs?: Tensor | readonly (Tensor | null)[] | null,
): (SymbolicTensor | null)[] {
  const yl = asList(ys, 'ys');
  const xl = asList(xs, 'xs');
  const y0 = yl[0];
  if (!(y0 instanceof SymbolicTensor)) {
    throw new InvalidArgumentError(`gradients: ys must be graph tensors; in eager mode use nb.GradientTape.`);
  }
  const g = y0.node.graph;
  for (const t of [...yl, ...xl]) {
    if (!(t instanceof SymbolicTensor) || t.node.graph !== g) {
      throw new GraphMismatchError(
        `gradients: every y and x must be a tensor of the same graph (graph #${g.id}); ` +
          `'${t instanceof SymbolicTensor ? t.name : 'an eager tensor'}' is not. Build them in one graph.`,
      );
    }
  }
  const gy = gradYs === undefined || gradYs === null ? [] : asList(gradYs as Tensor | Tensor[], 'gradYs');
  return g.asDefault(() => {
    // Nodes that can reach a y, and tensors that depend on an x.
    const reach = new Set<GraphNode>();
    const stack: GraphNode[] = yl.map((y) => (y as SymbolicTensor).node);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (reach.has(n)) continue;
      reach.add(n);
      for (const i of n.inputs) stack.push(i.node);
    }
    const dep = new Set<number>(xl.map((x) => x.id));
    const ordered: GraphNode[] = [];
    for (const n of g.nodes) {
      if (n.kind !== 'op' || !reach.has(n)) continue;
      if (n.inputs.some((i) => dep.has(i.id))) {
        for (const o of n.outputs) dep.add(o.id);
        if (n.def!.grad !== 'nondifferentiable') ordered.push(n);
      }
    }
    const pending = new Map<number, Tensor[]>();
    const push = (t: Tensor, d: Tensor): void => {
      const list = pending.get(t.id);
      if (list) list.push(d);
      else pending.set(t.id, [d]);
    };
    const total = (t: Tensor): Tensor | null => {
      const list = pending.get(t.id);
      if (!list || list.length === 0) return null;
      let s = list[0]!;
      for (let i = 1; i < list.length; i++) s = add(s, list[i]!);
      pending.set(t.id, [s]);
      return s;
    };
    yl.forEach((y, i) => push(y, gy[i] ?? fillLike(y, 1)));
    for (let k = ordered.length - 1; k >= 0; k--) {
      const n = ordered[k]!;
      const dys = n.outputs.map((o) => total(o));
      if (dys.every((d) => d === null)) continue;
      const full = dys.map((d, i) => d ?? fillLike(n.outputs[i]!, 0));
      const needed = n.inputs.map((i) => dep.has(i.id));
      const unknown = n.inputs.some((i) => i.shape.includes(-1));
      const name = n.def!.name;
      const rule: GradFn<unknown> = !unknown || SHAPE_SAFE.has(name)
        ? (n.def!.grad as GradFn<unknown>)
        : dynamicRules[name] ?? ((d, i, o, a, nd) => deferredGrad(n.def!, d, i, o, a, nd));
      const dxs = g.nameScope(`gradients/${n.name}`, () => rule(full, n.inputs, n.outputs, n.attrs, needed));
      n.inputs.forEach((inp, i) => {
        const d = dxs[i];
        if (needed[i] && d !== null && d !== undefined) push(inp, d);
      });
    }
    return xl.map((x) => {
      const d = total(x);
      return d === null ? null : (g.lift(d) as SymbolicTensor);
    });
  });
}
