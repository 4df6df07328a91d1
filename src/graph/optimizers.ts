import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { zeros, ones } from '../ops/creation.js';
import { sqrt, square } from '../ops/unary.js';
import { getDefaultGraph, type Graph } from './graph.js';
import { gradients } from './gradients.js';
import type { GraphNode } from './node.js';
import { SymbolicTensor } from './symbolic.js';
import { GraphVariable, group, trainableVariables } from './variable.js';

export interface MinimizeOptions {
  /** The variables to train (default: all trainable graph variables). */
  varList?: readonly Tensor[];
  /** An int32 graph variable incremented by one each time the train op runs. */
  globalStep?: GraphVariable;
  /** Name of the train op. */
  name?: string;
}

/**
 * Base of the TF1 optimizers: `minimize(loss)` builds the gradients with `gradients` and returns
 * one train op (run it in a Session) that applies every update; slots (momentum, Adam moments)
 * are graph variables initialized by `globalVariablesInitializer()`, so create the train op first.
 */
export abstract class GraphOptimizer {
  private readonly slots = new Map<string, GraphVariable>();

  constructor(readonly learningRate: number, readonly name: string) {
    if (!(learningRate > 0)) {
      throw new InvalidArgumentError(`${name}: learningRate must be a positive number, got ${learningRate}.`);
    }
  }

  /** The [gradient, variable] pairs of `loss` (gradient null where the variable does not matter). */
  computeGradients(loss: Tensor, varList?: readonly Tensor[]): [SymbolicTensor | null, GraphVariable][] {
    if (!(loss instanceof SymbolicTensor)) {
      throw new InvalidArgumentError(`${this.name}.minimize: loss must be a graph tensor; in eager mode use the nb.keras optimizers with a GradientTape.`);
    }
    const g = loss.node.graph;
    const vars = (varList ?? trainableVariables(g)) as GraphVariable[];
    if (vars.length === 0) {
      throw new InvalidArgumentError(`${this.name}.minimize: there are no trainable variables in the graph; create nb.v1.Variable weights first.`);
    }
    for (const v of vars) {
      if (!(v instanceof GraphVariable)) throw new InvalidArgumentError(`${this.name}.minimize: varList must hold nb.v1.Variable objects.`);
    }
    const grads = gradients(loss, vars);
    return vars.map((v, i) => [grads[i]!, v]);
  }

  /** One op applying the updates (and incrementing `globalStep`). */
  applyGradients(pairs: readonly (readonly [SymbolicTensor | null, GraphVariable])[], options: { globalStep?: GraphVariable; name?: string } = {}): GraphNode {
    const live = pairs.filter(([gr]) => gr !== null) as [SymbolicTensor, GraphVariable][];
    if (live.length === 0) {
      throw new InvalidArgumentError(`${this.name}.minimize: no variable in varList influences the loss; check the graph connects them.`);
    }
    const g = live[0]![1].node.graph;
    return g.asDefault(() =>
      g.nameScope(this.name, () => {
        const updates: (SymbolicTensor | GraphNode)[] = this.prepare(g);
        for (const [gr, v] of live) updates.push(this.update(g, gr, v));
        if (options.globalStep !== undefined) updates.push(options.globalStep.assignAdd(1));
        return group(updates, options.name ?? 'train');
      }),
    );
  }

  /** `computeGradients` + `applyGradients`: the train op. */
  minimize(loss: Tensor, options: MinimizeOptions = {}): GraphNode {
    return this.applyGradients(this.computeGradients(loss, options.varList), options);
  }

  /** A zero- (or `init`-) filled slot variable for `v`, created once. */
  protected slot(v: GraphVariable, slotName: string, init: 'zeros' | 'ones' = 'zeros'): GraphVariable {
    const key = `${v.node.id}/${slotName}`;
    let s = this.slots.get(key);
    if (s === undefined) {
      const value = init === 'zeros' ? zeros(v.shape, v.dtype) : ones(v.shape, v.dtype);
      s = new GraphVariable(value, { name: `${v.node.name}/${slotName}`, trainable: false });
      this.slots.set(key, s);
    }
    return s;
  }

  /** Non-slot state updated once per step (Adam's beta powers). */
  protected prepare(_g: Graph): (SymbolicTensor | GraphNode)[] {
    return [];
  }

  protected abstract update(g: Graph, grad: Tensor, v: GraphVariable): SymbolicTensor;
}

/**
 * Plain gradient descent: `v -= learningRate * grad`.
 * @example `const train = new nb.v1.train.GradientDescentOptimizer(0.1).minimize(loss);`
 */
export class GradientDescentOptimizer extends GraphOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 'GradientDescent');
  }
  protected update(_g: Graph, grad: Tensor, v: GraphVariable): SymbolicTensor {
    return v.assignSub(mul(grad, this.learningRate));
  }
}

/**
 * Momentum: `accum = momentum * accum + grad; v -= lr * accum` (Nesterov: `v -= lr * (grad + momentum * accum)`).
 * @example `new nb.v1.train.MomentumOptimizer(0.01, 0.9).minimize(loss)`
 */
export class MomentumOptimizer extends GraphOptimizer {
  constructor(learningRate: number, readonly momentum: number, readonly useNesterov = false) {
    super(learningRate, 'Momentum');
  }
  protected update(_g: Graph, grad: Tensor, v: GraphVariable): SymbolicTensor {
    const acc = this.slot(v, 'Momentum');
    const accNew = acc.assign(add(mul(acc, this.momentum), grad));
    const step = this.useNesterov ? add(grad, mul(accNew, this.momentum)) : accNew;
    return v.assignSub(mul(step, this.learningRate));
  }
}

/**
 * Adam (Kingma & Ba) as TF1 computes it: `lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)`,
 * `v -= lr_t * m / (sqrt(v) + epsilon)`.
 * @example `new nb.v1.train.AdamOptimizer(0.001).minimize(loss)`
 */
export class AdamOptimizer extends GraphOptimizer {
  private powers: [SymbolicTensor, SymbolicTensor] | null = null;
  private b1p?: GraphVariable;
  private b2p?: GraphVariable;

  constructor(learningRate = 0.001, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly epsilon = 1e-8) {
    super(learningRate, 'Adam');
  }
  protected override prepare(): (SymbolicTensor | GraphNode)[] {
    if (this.b1p === undefined) {
      this.b1p = new GraphVariable(1, { name: 'beta1_power', trainable: false });
      this.b2p = new GraphVariable(1, { name: 'beta2_power', trainable: false });
    }
    const p1 = this.b1p.assign(mul(this.b1p, this.beta1));
    const p2 = this.b2p!.assign(mul(this.b2p!, this.beta2));
    this.powers = [p1, p2];
    return [p1, p2];
  }
  protected update(_g: Graph, grad: Tensor, v: GraphVariable): SymbolicTensor {
    const [p1, p2] = this.powers!;
    const m = this.slot(v, 'Adam');
    const s = this.slot(v, 'Adam_1');
    const mNew = m.assign(add(mul(m, this.beta1), mul(grad, 1 - this.beta1)));
    const sNew = s.assign(add(mul(s, this.beta2), mul(square(grad), 1 - this.beta2)));
    const lrT = div(mul(sqrt(sub(1, p2)), this.learningRate), sub(1, p1));
    return v.assignSub(div(mul(mNew, lrT), add(sqrt(sNew), this.epsilon)));
  }
}

/**
 * RMSProp as TF1: `ms = decay * ms + (1 - decay) * grad^2` (ms starts at ones),
 * `mom = momentum * mom + lr * grad / sqrt(ms + epsilon)`, `v -= mom`.
 * @example `new nb.v1.train.RMSPropOptimizer(0.01).minimize(loss)`
 */
export class RMSPropOptimizer extends GraphOptimizer {
  constructor(learningRate: number, readonly decay = 0.9, readonly momentum = 0, readonly epsilon = 1e-10) {
    super(learningRate, 'RMSProp');
  }
  protected update(_g: Graph, grad: Tensor, v: GraphVariable): SymbolicTensor {
    const ms = this.slot(v, 'RMSProp', 'ones');
    const mom = this.slot(v, 'RMSProp_1');
    const msNew = ms.assign(add(mul(ms, this.decay), mul(square(grad), 1 - this.decay)));
    const momNew = mom.assign(add(mul(mom, this.momentum), div(mul(grad, this.learningRate), sqrt(add(msNew, this.epsilon)))));
    return v.assignSub(momNew);
  }
}

/** An int32 scalar graph variable named `global_step` (created once per graph). */
export function getOrCreateGlobalStep(graph: Graph = getDefaultGraph()): GraphVariable {
  if (graph.has('global_step')) return graph.variableObjects.get(graph.getOperation('global_step').id) as GraphVariable;
  return graph.asDefault(() => new GraphVariable(0, { name: 'global_step', trainable: false, dtype: 'int32' }));
}
