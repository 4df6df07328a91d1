import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import * as ops from '../../../ops/index.js';
import { getConstraint, serializeConstraint, type ConstraintConfig } from '../../constraints.js';
import { getInitializer, serializeInitializer, zeros, type InitializerConfig } from '../../initializers.js';
import { getRegularizer, serializeRegularizer, type RegularizerConfig } from '../../regularizers.js';
import { Layer, type CallArgs, type Constraint, type Initializer, type LayerArgs, type Regularizer } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { showShape } from './util.js';

export interface PReLUArgs extends LayerArgs {
  alphaInitializer?: string | Initializer | InitializerConfig;
  alphaRegularizer?: string | Regularizer | RegularizerConfig | null;
  alphaConstraint?: string | Constraint | ConstraintConfig | null;
  /**
   * Axes (1-based, batch excluded, as in Keras) along which one alpha is shared, e.g. `[1, 2]`
   * for one alpha per channel of NHWC images.
   */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Parametric ReLU: x for x > 0, `alpha · x` otherwise, with a learned `alpha` per input element
 * (shared along `sharedAxes`).
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.prelu({sharedAxes: [1, 2]});
 * layer.apply(nb.zeros([4, 8, 8, 3])); // alpha has shape [1, 1, 3]
 * ```
 */
export class PReLU extends Layer {
  static override readonly className = 'PReLU';
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha!: Variable;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = getInitializer(args.alphaInitializer, zeros(), this.name);
    this.alphaRegularizer = getRegularizer(args.alphaRegularizer, this.name);
    this.alphaConstraint = getConstraint(args.alphaConstraint, this.name);
    const sa = args.sharedAxes ?? null;
    const list = sa === null ? null : Array.isArray(sa) ? [...(sa as number[])] : [sa as number];
    if (list !== null && list.some((a) => !Number.isInteger(a) || a < 1)) {
      throw new InvalidArgumentError(
        `PReLU '${this.name}': sharedAxes must be positive integers (1-based axes, the batch dim excluded), got ${JSON.stringify(sa)}.`,
      );
    }
    this.sharedAxes = list;
    this.inputSpec = [{ minNdim: 2 }];
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const shared = new Set(this.sharedAxes ?? []);
    for (const a of shared) {
      if (a >= rank) {
        throw new InvalidArgumentError(
          `PReLU '${this.name}': sharedAxes entry ${a} is out of range for inputs of shape ${showShape(inputShape)}; axes are 1..${rank - 1}.`,
        );
      }
    }
    const paramShape: number[] = [];
    const axes: Record<number, number> = {};
    for (let i = 1; i < rank; i++) {
      if (shared.has(i)) {
        paramShape.push(1);
        continue;
      }
      const d = inputShape[i];
      if (d === null || d === undefined) {
        throw new InvalidArgumentError(
          `PReLU '${this.name}': axis ${i} of the input shape ${showShape(inputShape)} is unknown; give it a size or list it in sharedAxes.`,
        );
      }
      paramShape.push(d);
      axes[i] = d;
    }
    this.alpha = this.addWeight('alpha', {
      shape: paramShape,
      initializer: this.alphaInitializer,
      regularizer: this.alphaRegularizer,
      constraint: this.alphaConstraint,
    });
    this.inputSpec = [{ ndim: rank, axes }];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return ops.sub(ops.relu(x), ops.mul(this.alpha, ops.relu(ops.neg(x))));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: serializeRegularizer(this.alphaRegularizer),
      alphaConstraint: serializeConstraint(this.alphaConstraint),
      sharedAxes: this.sharedAxes === null ? null : [...this.sharedAxes],
    };
  }

  static fromConfig(config: Record<string, unknown>): PReLU {
    return new PReLU(config as unknown as PReLUArgs);
  }
}
registerLayer(PReLU);

/**
 * Creates a PReLU layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.prelu({alphaInitializer: nb.keras.initializers.constant({value: 0.25})});
 * ```
 */
export function prelu(args: PReLUArgs = {}): PReLU {
  return new PReLU(args);
}
