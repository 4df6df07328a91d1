import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { input, InputLayer } from './input-layer.js';
import { Layer, LayerError, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from './layer.js';
import { Model } from './model.js';
import { deserializeLayer, registerLayer, serializeLayer, type LayerClass, type SerializedLayer } from './serialization.js';
import { SymbolicTensor, type SymbolicShape } from './symbolic.js';

export interface SequentialArgs extends LayerArgs {
  layers?: Layer[];
}

/**
 * A plain stack of layers, each feeding the next (Keras `Sequential`). Give the first layer an
 * `inputShape` (or start with `nb.keras.layers.inputLayer`) to build it at once; otherwise it
 * builds on the first data it sees.
 *
 * @example
 * ```ts
 * const model = nb.keras.sequential([
 *   nb.keras.layers.dense({units: 64, activation: 'relu', inputShape: [784]}),
 *   nb.keras.layers.dense({units: 10, activation: 'softmax'}),
 * ]);
 * model.summary();
 * ```
 */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  private readonly stack: Layer[] = [];
  private inputShape_: SymbolicShape | null = null;
  private inputDtype: string = 'float32';

  constructor(args: SequentialArgs = {}) {
    super(args);
    if (args.batchInputShape || args.inputShape) this.inputShape_ = this.batchInputShape;
    for (const layer of args.layers ?? []) this.add(layer);
  }

  override get layers(): Layer[] {
    return [...this.stack];
  }

  override sublayers(): Layer[] {
    return this.stack;
  }

  override get inputNames(): string[] {
    return [`${this.name}_input`];
  }

  override get outputNames(): string[] {
    const last = this.stack[this.stack.length - 1];
    return [last ? last.name : 'output_1'];
  }

  /** Appends a layer; builds it now when the input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new InvalidArgumentError(`${this.name}.add: expected a Layer, got ${layer === null ? 'null' : typeof layer}.`);
    }
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0 || this.inputShape_) {
        throw new InvalidArgumentError(`${this.name}.add: an InputLayer can only be the first layer.`);
      }
      this.inputShape_ = layer.batchInputShape;
      this.inputDtype = layer.dtype;
      return;
    }
    if (this.stack.includes(layer)) {
      throw new InvalidArgumentError(`${this.name}.add: layer '${layer.name}' is already in the model.`);
    }
    if (this.stack.length === 0 && !this.inputShape_ && layer.batchInputShape) {
      this.inputShape_ = layer.batchInputShape;
      this.inputDtype = layer.dtype;
    }
    this.stack.push(layer);
    this.built = false;
    if (this.inputShape_) this.buildGraph(this.inputShape_);
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (!layer) throw new LayerError(`${this.name}.pop: the model has no layers.`);
    return layer;
  }

  /** Builds every layer for inputs of `inputShape` (batch dim included, may be null). */
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[])[0]! : (inputShape as SymbolicShape);
    this.buildGraph(shape);
  }

  private buildGraph(batchShape: SymbolicShape): void {
    if (this.stack.length === 0) return;
    let t: SymbolicTensor = input({ batchShape, dtype: this.inputDtype as 'float32' });
    for (const layer of this.stack) {
      const out = layer.apply(t);
      if (Array.isArray(out)) {
        throw new LayerError(
          `${this.name}: layer '${layer.name}' returns ${out.length} tensors; a Sequential model needs one tensor per layer — use the functional API.`,
        );
      }
      t = out;
    }
    this.inputShape_ = [null, ...batchShape.slice(1)];
    this.batchInputShape = this.inputShape_;
    this.built = true;
  }

  protected override validateInputs(xs: readonly Tensor[], where: string): void {
    const expected = this.inputShape_;
    const x = xs[0]!;
    if (!expected) return;
    const ok = x.rank === expected.length && expected.every((d, k) => d === null || d === x.shape[k]);
    if (!ok) {
      throw new ShapeError(
        `${this.name}.${where}: the model expects input shape [${expected.map((d) => d ?? 'None').join(', ')}] (from its first layer '${this.stack[0]?.name}') but the data has shape [${x.shape.join(', ')}].`,
      );
    }
  }

  override call(inputs: LayerInput, args: CallArgs = {}): LayerOutput {
    if (this.stack.length === 0) throw new LayerError(`${this.name}: the model has no layers; add some first.`);
    let x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!this.built && !this.inputShape_) {
      this.buildGraph([null, ...x.shape.slice(1)]);
    }
    for (const layer of this.stack) x = layer.apply(x, { training: args.training }) as Tensor;
    return x;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    let shape = Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[])[0]! : (inputShape as SymbolicShape);
    for (const layer of this.stack) shape = layer.computeOutputShape(shape) as SymbolicShape;
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name,
      trainable: this.trainable,
      layers: this.stack.map((l) => serializeLayer(l)),
    };
    if (this.inputShape_) config['buildInputShape'] = [...this.inputShape_];
    return config;
  }

  static fromConfig(config: Record<string, unknown>, customObjects: Record<string, LayerClass> = {}): Sequential {
    const model = new Sequential({ name: config['name'] as string, trainable: config['trainable'] as boolean | undefined });
    const build = config['buildInputShape'] as SymbolicShape | undefined;
    if (build) model.inputShape_ = build;
    for (const entry of config['layers'] as SerializedLayer[]) model.add(deserializeLayer(entry, customObjects));
    return model;
  }
}
registerLayer(Sequential);

/**
 * Creates a Sequential model from a list of layers.
 *
 * @example
 * ```ts
 * const model = nb.keras.sequential([nb.keras.layers.dense({units: 1, inputShape: [3]})]);
 * ```
 */
export function sequential(layers: Layer[] = [], args: LayerArgs = {}): Sequential {
  return new Sequential({ ...args, layers });
}
