import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from '../../engine/layer.js';
import { deserializeLayer, registerLayer, serializeLayer, type LayerClass, type SerializedLayer } from '../../engine/serialization.js';
import type { SymbolicShape, SymbolicTensor } from '../../engine/symbolic.js';
import { BaseRNN, firstShape, foldInitialState } from './base-rnn.js';

/** How Bidirectional combines the forward and backward outputs; null returns both. */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (SimpleRNN, LSTM, GRU) to run in both directions; it is copied from its config. */
  layer: BaseRNN;
  /** How to combine both directions' outputs (default 'concat'); null returns [forward, backward]. */
  mergeMode?: BidirectionalMergeMode;
  /** An explicit layer for the backward direction (its goBackwards must differ from `layer`'s). */
  backwardLayer?: BaseRNN;
}

/** A fresh copy of an RNN layer from its config, renamed and optionally flipped in direction. */
function recreate(layer: BaseRNN, prefix: string, flip: boolean): BaseRNN {
  const config = { ...layer.getConfig() };
  config.name = `${prefix}${String(config.name)}`;
  if (flip) config.goBackwards = !layer.goBackwards;
  const cls = layer.constructor as unknown as LayerClass;
  return cls.fromConfig(config) as BaseRNN;
}

/**
 * Runs a recurrent layer forwards and a copy of it backwards over the sequence and merges both
 * outputs (the backward output is put back in time order when returnSequences). Weights: those of
 * the forward layer, then those of the backward one (`forward_<name>/...`, `backward_<name>/...`),
 * as Keras orders them. With returnState it returns [output, ...forwardStates, ...backwardStates];
 * an `initialState` call argument gives the forward states then the backward ones.
 *
 * @example
 * ```ts
 * const bi = new Bidirectional({layer: new LSTM({units: 8, returnSequences: true})});
 * bi.apply(nb.zeros([4, 10, 3])).shape; // [4, 10, 16]
 * ```
 */
export class Bidirectional extends Layer {
  static override readonly className = 'Bidirectional';
  readonly forwardLayer: BaseRNN;
  readonly backwardLayer: BaseRNN;
  readonly mergeMode: BidirectionalMergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  private readonly layerConfig: SerializedLayer;
  private readonly backwardLayerConfig: SerializedLayer | null;

  constructor(args: BidirectionalArgs) {
    super(args);
    const layer = args.layer;
    if (!(layer instanceof BaseRNN)) {
      const given = layer as unknown;
      const got = given instanceof Layer ? `${given.getClassName()} '${given.name}'` : String(given);
      throw new InvalidArgumentError(`Bidirectional: layer must be a recurrent layer (SimpleRNN, LSTM, GRU), got ${got}.`);
    }
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mergeMode !== null && !(MERGE_MODES as readonly string[]).includes(mergeMode)) {
      throw new InvalidArgumentError(
        `Bidirectional: mergeMode must be one of ${MERGE_MODES.map((m) => `'${m}'`).join(', ')} or null, got ${JSON.stringify(mergeMode)}.`,
      );
    }
    this.mergeMode = mergeMode;
    const backward = args.backwardLayer;
    if (backward !== undefined && backward !== null) {
      if (!(backward instanceof BaseRNN)) {
        throw new InvalidArgumentError(`Bidirectional: backwardLayer must be a recurrent layer (SimpleRNN, LSTM, GRU), got ${String(backward)}.`);
      }
      if (backward.goBackwards === layer.goBackwards) {
        throw new InvalidArgumentError(
          `Bidirectional: backwardLayer '${backward.name}' must process the sequence in the opposite direction of layer '${layer.name}' (goBackwards ${String(!layer.goBackwards)}), got goBackwards ${String(backward.goBackwards)}.`,
        );
      }
      for (const key of ['returnSequences', 'returnState'] as const) {
        if (backward[key] !== layer[key]) {
          throw new InvalidArgumentError(
            `Bidirectional: backwardLayer '${backward.name}' must have the same ${key} as layer '${layer.name}' (${String(layer[key])}), got ${String(backward[key])}.`,
          );
        }
      }
    }
    this.layerConfig = serializeLayer(layer);
    this.backwardLayerConfig = backward ? serializeLayer(backward) : null;
    this.forwardLayer = recreate(layer, 'forward_', false);
    this.backwardLayer = backward ? recreate(backward, 'backward_', false) : recreate(layer, 'backward_', true);
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    this.inputSpec = [{ ndim: 3 }];
  }

  /** Runs the layer (see `Layer.apply`); an `initialState` call argument becomes extra inputs. */
  override apply(inputs: Tensor, args?: CallArgs): Tensor;
  override apply(inputs: Tensor[], args?: CallArgs): LayerOutput;
  override apply(inputs: LayerInput, args?: CallArgs): LayerOutput;
  override apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor;
  override apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: LayerInput | SymbolicTensor | SymbolicTensor[], args?: CallArgs): LayerOutput | SymbolicTensor | SymbolicTensor[];
  override apply(inputs: LayerInput | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    const [folded, rest] = foldInitialState(inputs, args);
    return super.apply(folded, rest);
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = firstShape(inputShape);
    for (const l of [this.forwardLayer, this.backwardLayer]) {
      if (!l.built) {
        l.build(shape);
        l.built = true;
      }
    }
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0]!;
    const given = list.length > 1 ? list.slice(1) : (args.initialState as Tensor | Tensor[] | undefined | null);
    let forwardState: Tensor[] | undefined;
    let backwardState: Tensor[] | undefined;
    if (given !== undefined && given !== null) {
      const states = Array.isArray(given) ? given : [given];
      const n = this.forwardLayer.stateCount();
      if (states.length !== 2 * n) {
        throw new InvalidArgumentError(
          `${this.name}: initialState must hold ${2 * n} tensors (the forward layer's ${n} states, then the backward layer's), got ${states.length}.`,
        );
      }
      forwardState = states.slice(0, n);
      backwardState = states.slice(n);
    }
    const training = args.training;
    const fwd = this.forwardLayer.apply(forwardState ? [x, ...forwardState] : x, { training });
    const bwd = this.backwardLayer.apply(backwardState ? [x, ...backwardState] : x, { training });
    const fList = Array.isArray(fwd) ? fwd : [fwd];
    const bList = Array.isArray(bwd) ? bwd : [bwd];
    const y = fList[0]!;
    let yRev = bList[0]!;
    if (this.returnSequences) yRev = ops.reverse(yRev, 1);
    let output: Tensor[];
    switch (this.mergeMode) {
      case 'concat':
        output = [ops.concat([y, yRev], -1)];
        break;
      case 'sum':
        output = [ops.add(y, yRev)];
        break;
      case 'mul':
        output = [ops.mul(y, yRev)];
        break;
      case 'ave':
        output = [ops.mul(ops.add(y, yRev), 0.5)];
        break;
      default:
        output = [y, yRev];
    }
    if (this.returnState) return [...output, ...fList.slice(1), ...bList.slice(1)];
    return output.length === 1 ? output[0]! : output;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shape = firstShape(inputShape);
    const asList = (s: SymbolicShape | SymbolicShape[]): SymbolicShape[] => (this.returnState ? (s as SymbolicShape[]) : [s as SymbolicShape]);
    const fList = asList(this.forwardLayer.computeOutputShape(shape));
    const bList = asList(this.backwardLayer.computeOutputShape(shape));
    const y = fList[0]!;
    const yb = bList[0]!;
    let output: SymbolicShape[];
    if (this.mergeMode === 'concat') {
      const a = y[y.length - 1];
      const b = yb[yb.length - 1];
      const last = a === null || a === undefined || b === null || b === undefined ? null : a + b;
      output = [[...y.slice(0, -1), last]];
    } else if (this.mergeMode === null) output = [y, yb];
    else output = [y];
    if (this.returnState) return [...output, ...fList.slice(1), ...bList.slice(1)];
    return output.length === 1 ? output[0]! : output;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      layer: { className: this.layerConfig.className, config: { ...this.layerConfig.config } },
      mergeMode: this.mergeMode,
    };
    if (this.backwardLayerConfig) {
      config.backwardLayer = { className: this.backwardLayerConfig.className, config: { ...this.backwardLayerConfig.config } };
    }
    return config;
  }

  static fromConfig(config: Record<string, unknown>, customObjects?: Record<string, LayerClass>): Bidirectional {
    const { layer, backwardLayer, ...rest } = config;
    const args: BidirectionalArgs = {
      ...(rest as unknown as LayerArgs),
      layer: deserializeLayer(layer as SerializedLayer, customObjects) as BaseRNN,
    };
    if (backwardLayer) args.backwardLayer = deserializeLayer(backwardLayer as SerializedLayer, customObjects) as BaseRNN;
    if ('mergeMode' in rest) args.mergeMode = rest.mergeMode as BidirectionalMergeMode;
    return new Bidirectional(args);
  }
}
registerLayer(Bidirectional);

/**
 * Creates a Bidirectional wrapper (Keras `Bidirectional`) around a recurrent layer.
 *
 * @example
 * ```ts
 * const layer = nb.keras.layers.bidirectional({layer: nb.keras.layers.gru({units: 8}), mergeMode: 'sum'});
 * layer.apply(nb.zeros([2, 5, 3])).shape; // [2, 8]
 * ```
 */
export function bidirectional(args: BidirectionalArgs): Bidirectional {
  return new Bidirectional(args);
}
