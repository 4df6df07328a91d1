import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { deserializeLayer, registerLayer, serializeLayer, type LayerClass, type SerializedLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every timestep (its weights are shared across time). */
  layer: Layer;
}

/**
 * Applies a layer to every timestep of a [batch, time, ...] input, by folding time into the batch
 * dimension: the wrapped layer sees [batch·time, ...] and its output is unfolded back to
 * [batch, time, ...].
 *
 * @example
 * ```ts
 * const td = new TimeDistributed({layer: new Dense({units: 4})});
 * td.apply(nb.zeros([2, 10, 8])).shape; // [2, 10, 4]
 * ```
 */
export class TimeDistributed extends Layer {
  static override readonly className = 'TimeDistributed';
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    if (!(args.layer instanceof Layer)) {
      throw new InvalidArgumentError(`TimeDistributed: layer must be a Layer instance, got ${String(args.layer)}.`);
    }
    this.layer = args.layer;
    this.inputSpec = [{ minNdim: 3 }];
  }

  private innerShape(inputShape: SymbolicShape): SymbolicShape {
    const [batch, time] = inputShape;
    const folded = batch === null || batch === undefined || time === null || time === undefined ? null : batch * time;
    return [folded, ...inputShape.slice(2)];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (inputShape.length > 0 && Array.isArray(inputShape[0])) {
      throw new InvalidArgumentError(`${this.name}: TimeDistributed takes a single input tensor, got a list of ${inputShape.length}.`);
    }
    const shape = inputShape as SymbolicShape;
    if (shape.length < 3) {
      throw new ShapeError(`${this.name}: expected input of rank >= 3 [batch, time, ...], got shape [${shape.map((d) => d ?? 'None').join(',')}].`);
    }
    if (!this.layer.built) {
      this.layer.build(this.innerShape(shape));
      this.layer.built = true;
    }
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (x.rank < 3) {
      throw new ShapeError(`${this.name}: expected input of rank >= 3 [batch, time, ...], got shape [${x.shape.join(',')}].`);
    }
    const [batch, time] = x.shape as [number, number];
    const folded = ops.reshape(x, [batch * time, ...x.shape.slice(2)]);
    const y = this.layer.apply(folded, { training: args.training });
    const unfold = (t: Tensor): Tensor => ops.reshape(t, [batch, time, ...t.shape.slice(1)]);
    return Array.isArray(y) ? y.map(unfold) : unfold(y);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shape = inputShape as SymbolicShape;
    const inner = this.layer.computeOutputShape(this.innerShape(shape));
    const unfold = (s: SymbolicShape): SymbolicShape => [shape[0] ?? null, shape[1] ?? null, ...s.slice(1)];
    return inner.length > 0 && Array.isArray(inner[0]) ? (inner as SymbolicShape[]).map(unfold) : unfold(inner as SymbolicShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }

  static fromConfig(config: Record<string, unknown>, customObjects?: Record<string, LayerClass>): TimeDistributed {
    const { layer, ...rest } = config;
    return new TimeDistributed({ ...(rest as unknown as LayerArgs), layer: deserializeLayer(layer as SerializedLayer, customObjects) });
  }
}
registerLayer(TimeDistributed);

/**
 * Creates a TimeDistributed wrapper (Keras `TimeDistributed`): the same layer on every timestep.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.timeDistributed({layer: nb.keras.layers.dense({units: 3})});
 * layer.apply(nb.zeros([2, 5, 4])).shape; // [2, 5, 3]
 * ```
 */
export function timeDistributed(args: TimeDistributedArgs): TimeDistributed {
  return new TimeDistributed(args);
}
