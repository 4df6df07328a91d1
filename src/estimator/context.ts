// ModelContext: the state a model function keeps between calls (layers, variables).
import { InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { Variable } from '../core/variable.js';
import { Layer } from '../keras/engine/layer.js';

/**
 * Model functions run once per batch; the context gives them objects that persist across calls
 * (and across TRAIN / EVAL / PREDICT), so weights are created once and checkpointed by key.
 *
 * @example
 * ```ts
 * const dense = ctx.layer('out', () => nb.keras.layers.dense({units: 3}));
 * const logits = dense.apply(x) as nb.Tensor;
 * ```
 */
export class ModelContext {
  private readonly items = new Map<string, Layer | Variable>();
  /** Whether this call trains (dropout and batch norm behave as in training). */
  training = false;

  /** The layer stored under `key`, created by `factory` on first use. */
  layer<T extends Layer>(key: string, factory: () => T): T {
    let item = this.items.get(key);
    if (item === undefined) {
      item = factory();
      if (!(item instanceof Layer)) throw new InvalidArgumentError(`ModelContext.layer('${key}'): the factory must return a Keras layer.`);
      this.items.set(key, item);
    } else if (!(item instanceof Layer)) {
      throw new InvalidArgumentError(`ModelContext.layer('${key}'): '${key}' is a variable, not a layer; use another key.`);
    }
    return item as T;
  }

  /** The variable stored under `key`, created from `init()` on first use. */
  variable(key: string, init: () => Tensor, options: { trainable?: boolean } = {}): Variable {
    let item = this.items.get(key);
    if (item === undefined) {
      item = new Variable(init(), { name: key, trainable: options.trainable ?? true });
      this.items.set(key, item);
    } else if (!(item instanceof Variable)) {
      throw new InvalidArgumentError(`ModelContext.variable('${key}'): '${key}' is a layer, not a variable; use another key.`);
    }
    return item;
  }

  /** Every stored variable with its checkpoint name, in creation order. */
  namedVariables(): { name: string; variable: Variable }[] {
    const out: { name: string; variable: Variable }[] = [];
    for (const [key, item] of this.items) {
      if (item instanceof Variable) out.push({ name: key, variable: item });
      else item.weights.forEach((w, i) => out.push({ name: `${key}/${i}`, variable: w }));
    }
    return out;
  }

  /** The trainable variables, in creation order. */
  trainableVariables(): Variable[] {
    const out: Variable[] = [];
    for (const item of this.items.values()) {
      if (item instanceof Variable) {
        if (item.trainable) out.push(item);
      } else out.push(...item.trainableWeights);
    }
    return out;
  }
}
