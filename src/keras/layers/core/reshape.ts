import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { knownSize, showShape } from './util.js';

export interface ReshapeArgs extends LayerArgs {
  /** Shape of one example (batch dim excluded); one entry may be -1 (inferred). */
  targetShape: readonly number[];
}

/**
 * Reshapes each example to `targetShape` (the batch dim is kept); one dim may be -1.
 *
 * @example
 * ```ts
 * nb.keras.layers.reshape({targetShape: [3, -1]}).apply(nb.zeros([2, 12])).shape; // [2, 3, 4]
 * ```
 */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    const t = args.targetShape;
    if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || (d <= 0 && d !== -1))) {
      throw new InvalidArgumentError(
        `Reshape '${this.name}': targetShape must be an array of positive integers (one may be -1), got ${JSON.stringify(t)}.`,
      );
    }
    if (t.filter((d) => d === -1).length > 1) {
      throw new InvalidArgumentError(`Reshape '${this.name}': targetShape may contain at most one -1, got ${JSON.stringify(t)}.`);
    }
    this.targetShape = [...t];
  }

  /** The target shape with -1 resolved for `size` values per example (null if unknown). */
  private resolve(inputShape: SymbolicShape): (number | null)[] {
    const size = knownSize(inputShape.slice(1));
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknownAt = this.targetShape.indexOf(-1);
    if (size === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    const fail = (): never => {
      throw new ShapeError(
        `Reshape '${this.name}': cannot reshape an input of shape ${showShape(inputShape)} (${size} values per example) to targetShape ${showShape(this.targetShape)}; the total size must stay the same.`,
      );
    };
    if (unknownAt < 0) {
      if (known !== size) fail();
      return [...this.targetShape];
    }
    if (known === 0 || size % known !== 0) fail();
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const target = this.resolve(x.shape) as number[];
    return ops.reshape(x, [x.shape[0]!, ...target]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.resolve(inputShape)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }

  static fromConfig(config: Record<string, unknown>): Reshape {
    return new Reshape(config as unknown as ReshapeArgs);
  }
}
registerLayer(Reshape);

/**
 * Creates a Reshape layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.reshape({targetShape: [28, 28, 1]}).apply(nb.zeros([4, 784])).shape; // [4, 28, 28, 1]
 * ```
 */
export function reshape(args: ReshapeArgs): Reshape {
  return new Reshape(args);
}
