import type { DType } from '../../core/dtype.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { Layer, uniqueLayerName } from './layer.js';
import { registerLayer } from './serialization.js';
import { Node, SymbolicTensor, type SymbolicShape } from './symbolic.js';

export interface InputArgs {
  /** Shape of one example, without the batch dim; null for unknown sizes. */
  shape?: readonly (number | null)[];
  batchSize?: number;
  /** Full shape including the batch dim (instead of `shape`). */
  batchShape?: readonly (number | null)[];
  dtype?: DType;
  name?: string;
}

/** The entry point of a functional model: holds the input's shape and dtype, no weights. */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  /** The symbolic tensor this layer feeds into the graph. */
  readonly output: SymbolicTensor;

  constructor(args: { batchInputShape: SymbolicShape; dtype?: DType; name?: string }) {
    super({ name: args.name ?? uniqueLayerName('input'), dtype: args.dtype, batchInputShape: args.batchInputShape });
    this.built = true;
    const output = new SymbolicTensor(args.batchInputShape, this.dtype, this.name, 0);
    const node = new Node(this, [], [output], {});
    output.node = node;
    this.inboundNodes.push(node);
    this.output = output;
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype, batchInputShape: [...(this.batchInputShape ?? [])] };
  }

  static fromConfig(config: Record<string, unknown>): InputLayer {
    return new InputLayer(config as { batchInputShape: SymbolicShape; dtype?: DType; name?: string });
  }
}
registerLayer(InputLayer);

/**
 * A symbolic input for a functional model, like `keras.Input`.
 *
 * @example
 * ```ts
 * const inputs = nb.keras.input({shape: [28, 28, 1]});
 * ```
 */
export function input(args: InputArgs): SymbolicTensor {
  let batchShape: SymbolicShape;
  if (args.batchShape) batchShape = [...args.batchShape];
  else if (args.shape) batchShape = [args.batchSize ?? null, ...args.shape];
  else throw new InvalidArgumentError('keras.input: give `shape` (one example, no batch dim) or `batchShape`.');
  for (const d of batchShape) {
    if (d !== null && (!Number.isInteger(d) || d < 0)) {
      throw new InvalidArgumentError(`keras.input: dimensions must be non-negative integers or null, got [${batchShape.join(',')}].`);
    }
  }
  return new InputLayer({ batchInputShape: batchShape, dtype: args.dtype, name: args.name }).output;
}

/**
 * An InputLayer to start a Sequential model with, like `keras.layers.InputLayer(input_shape=...)`.
 *
 * @example
 * ```ts
 * nb.keras.sequential([nb.keras.layers.inputLayer({inputShape: [28, 28, 1]}), nb.keras.layers.flatten()]);
 * ```
 */
export function inputLayer(args: { inputShape?: readonly (number | null)[]; batchInputShape?: readonly (number | null)[]; batchSize?: number; dtype?: DType; name?: string }): InputLayer {
  const batchInputShape = args.batchInputShape ?? (args.inputShape ? [args.batchSize ?? null, ...args.inputShape] : null);
  if (!batchInputShape) throw new InvalidArgumentError('inputLayer: give `inputShape` (one example, no batch dim) or `batchInputShape`.');
  return new InputLayer({ batchInputShape, dtype: args.dtype, name: args.name });
}
