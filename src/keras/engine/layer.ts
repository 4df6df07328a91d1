import type { DType } from '../../core/dtype.js';
import { InvalidArgumentError, ShapeError, NablaError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { Variable } from '../../core/variable.js';
import * as ops from '../../ops/index.js';
import { Node, SymbolicTensor, isSymbolic, type SymbolicShape } from './symbolic.js';
import { currentTraining, withCallContext } from './call-context.js';

/** Creates a weight's initial value. */
export interface Initializer {
  apply(shape: readonly number[], dtype: DType): Tensor;
  getConfig(): Record<string, unknown>;
  readonly className: string;
}

/** Maps a weight (or an activation) to a scalar penalty added to the loss. */
export interface Regularizer {
  apply(x: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
  readonly className: string;
}

/** Projects a weight back into its allowed set after each optimizer update. */
export interface Constraint {
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
  readonly className: string;
}

/** Arguments every layer accepts. */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
  /** Shape of one example (no batch dim); makes a Sequential model build immediately. */
  inputShape?: readonly (number | null)[];
  /** Full input shape including the batch dim (null for any). */
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
}

/** Keyword arguments of a call. */
export interface CallArgs {
  /** Training mode (dropout active, batch statistics used). Inherited from the outer call when omitted. */
  training?: boolean;
  [key: string]: unknown;
}

/** What Layer.apply checks about its inputs before building and calling. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  /** Required sizes of some axes (negative axes count from the end). */
  axes?: Record<number, number>;
}

export interface AddWeightOptions {
  shape: readonly number[];
  dtype?: DType;
  initializer?: Initializer;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  trainable?: boolean;
}

/** Raised for misuse of layers and models (unbuilt, uncompiled, wrong inputs). */
export class LayerError extends NablaError {}

const nameCounters = new Map<string, number>();

/** `Dense` → `dense`, `Conv2DTranspose` → `conv2d_transpose`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** A unique layer name in this process: `dense`, `dense_1`, ... */
export function uniqueLayerName(base: string): string {
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

export type LayerInput = Tensor | Tensor[];
export type LayerOutput = Tensor | Tensor[];

/**
 * The base of every Keras layer and model. Subclasses override `build(inputShape)` to create
 * weights with `addWeight`, and `call(inputs, {training})` to compute outputs; users run a layer
 * with `apply(x)` on tensors (eager) or on `SymbolicTensor`s (to build a functional model).
 *
 * @example
 * ```ts
 * class Scale extends nb.keras.layers.Layer {
 *   static override readonly className = 'Scale';
 *   scale!: nb.Variable;
 *   override build(inputShape: (number | null)[]) {
 *     this.scale = this.addWeight('scale', {shape: [inputShape.at(-1)!], initializer: nb.keras.initializers.ones()});
 *   }
 *   override call(x: nb.Tensor) { return nb.mul(x, this.scale); }
 * }
 * ```
 */
export class Layer {
  /** The name used for (de)serialisation; subclasses set their own. */
  static readonly className: string = 'Layer';

  readonly name: string;
  built = false;
  readonly dtype: DType;
  batchInputShape: SymbolicShape | null;
  inputSpec: InputSpec[] | null = null;
  /** Whether this layer accepts a list of inputs (merge layers). */
  protected readonly acceptsList: boolean = false;
  /** Nodes created by applying this layer to symbolic tensors. */
  readonly inboundNodes: Node[] = [];
  /** Output shapes (batch dim null) seen when the layer was first applied, for `summary()`. */
  outputShapes: SymbolicShape[] | null = null;

  private _trainable: boolean;
  private readonly ownWeights: Variable[] = [];
  private readonly weightRegularizers: (() => Tensor)[] = [];
  private callLosses: Tensor[] = [];
  /** Constraints applied by optimizers after each update, keyed by variable. */
  readonly constraints = new Map<Variable, Constraint>();

  constructor(args: LayerArgs = {}) {
    const cls = this.constructor as typeof Layer;
    this.name = args.name ?? uniqueLayerName(toSnakeCase(cls.className));
    this._trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else this.batchInputShape = null;
  }

  /** Keras class name of this instance. */
  getClassName(): string {
    return (this.constructor as typeof Layer).className;
  }

  // ----- weights -------------------------------------------------------------------------

  /**
   * Whether this layer's weights are updated by training. Setting it applies to every layer and
   * weight inside (also in nested models), as in Keras.
   */
  get trainable(): boolean {
    return this._trainable;
  }

  set trainable(value: boolean) {
    this._trainable = value;
    for (const w of this.ownWeights) w.trainable = value && this.isOwnWeightTrainable(w);
    for (const l of this.sublayers()) l.trainable = value;
  }

  private readonly declaredTrainable = new Set<Variable>();

  private isOwnWeightTrainable(w: Variable): boolean {
    return this.declaredTrainable.has(w);
  }

  /** Layers nested inside this one: by default every Layer (or array of Layers) held in a property. */
  sublayers(): Layer[] {
    const found: Layer[] = [];
    const seen = new Set<Layer>();
    for (const value of Object.values(this)) {
      const candidates = Array.isArray(value) ? value : [value];
      for (const c of candidates) {
        if (c instanceof Layer && c !== this && !seen.has(c)) {
          seen.add(c);
          found.push(c);
        }
      }
    }
    return found;
  }

  /**
   * Creates a weight owned by this layer (named `<layer>/<name>`), with its initializer,
   * regularizer and constraint.
   */
  addWeight(name: string, options: AddWeightOptions): Variable {
    const dtype = options.dtype ?? this.dtype;
    const init = options.initializer;
    const value = init ? init.apply(options.shape, dtype) : ops.zeros(options.shape, dtype);
    const trainable = options.trainable ?? true;
    const v = new Variable(value, { name: `${this.name}/${name}`, trainable: trainable && this._trainable, dtype });
    if (trainable) this.declaredTrainable.add(v);
    this.ownWeights.push(v);
    const regularizer = options.regularizer;
    if (regularizer) this.weightRegularizers.push(() => regularizer.apply(v));
    if (options.constraint) this.constraints.set(v, options.constraint);
    return v;
  }

  /** Trainable weights of this layer and the layers inside it (empty when frozen). */
  get trainableWeights(): Variable[] {
    if (!this._trainable) return [];
    const own = this.ownWeights.filter((w) => this.declaredTrainable.has(w));
    return dedupe([...own, ...this.sublayers().flatMap((l) => l.trainableWeights)]);
  }

  /** Weights not updated by gradient descent (frozen layers, batch-norm moving statistics). */
  get nonTrainableWeights(): Variable[] {
    if (!this._trainable) return dedupe([...this.ownWeights, ...this.sublayers().flatMap((l) => l.weights)]);
    const own = this.ownWeights.filter((w) => !this.declaredTrainable.has(w));
    return dedupe([...own, ...this.sublayers().flatMap((l) => l.nonTrainableWeights)]);
  }

  /** All weights in creation order: own weights first, then those of nested layers. */
  get weights(): Variable[] {
    return dedupe([...this.ownWeights, ...this.sublayers().flatMap((l) => l.weights)]);
  }

  /** Current weight values (copies), in the order of `weights`. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.read());
  }

  /** Sets weight values, in the order of `weights`; shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new InvalidArgumentError(
        `${this.name}.setWeights: expected ${ws.length} arrays (one per weight: ${ws.map((w) => w.name).join(', ')}), got ${values.length}.`,
      );
    }
    ws.forEach((w, i) => {
      const v = values[i]!;
      if (v.shape.join(',') !== w.shape.join(',')) {
        throw new ShapeError(
          `${this.name}.setWeights: weight '${w.name}' has shape [${w.shape.join(',')}] but the value has shape [${v.shape.join(',')}].`,
        );
      }
    });
    ws.forEach((w, i) => w.assign(values[i]!));
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    if (!this.built) {
      throw new LayerError(`${this.name}.countParams: the layer is not built yet; call it on data or build(inputShape) first.`);
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  // ----- losses --------------------------------------------------------------------------

  /** Adds a loss term (e.g. an activity penalty) from inside `call`. */
  addLoss(loss: Tensor): void {
    this.callLosses.push(loss);
  }

  /** Losses from the last call plus weight-regularisation penalties, of this layer and nested ones. */
  get losses(): Tensor[] {
    return [
      ...this.callLosses,
      ...this.weightRegularizers.map((f) => f()),
      ...this.sublayers().flatMap((l) => l.losses),
    ];
  }

  /** Forgets losses added during previous calls (done at the start of each outer call). */
  clearCallLosses(): void {
    this.callLosses = [];
    for (const l of this.sublayers()) l.clearCallLosses();
  }

  /**
   * Why this layer cannot run inside a traced Keras step (`fit`/`evaluate`/`predict` without
   * `runEagerly`) in this mode, or null when it can. A traced step runs the layer's `call` once,
   * while tracing; a layer whose `call` has JavaScript side effects that must happen at every
   * step (random numbers drawn in JavaScript, a call counter that varies a seed) overrides this
   * to return the reason, and the model runs that step eagerly instead.
   *
   * @example
   * ```ts
   * class Jitter extends nb.keras.layers.Layer {
   *   override call(x: nb.Tensor) { return nb.add(x, Math.random()); } // a JS draw: baked in by a trace
   *   override traceHazard() { return 'draws Math.random() in call'; }
   * }
   * ```
   */
  traceHazard(_training: boolean): string | null {
    return null;
  }

  // ----- building and calling ------------------------------------------------------------

  /** Creates the weights for inputs of `inputShape` (batch dim included, possibly null). */
  build(_inputShape: SymbolicShape | SymbolicShape[]): void {
    this.built = true;
  }

  /** The computation. Override in subclasses. */
  call(inputs: LayerInput, _args: CallArgs = {}): LayerOutput {
    return inputs;
  }

  /**
   * Output shape for an input shape, used to build functional models. The default runs `call`
   * once on zeros (unknown dims set to 1); layers override it with a direct rule.
   */
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const concrete = (s: SymbolicShape): number[] => s.map((d) => d ?? 1);
    const multi = Array.isArray(inputShape[0]) || (inputShape.length === 0 && this.acceptsList);
    const probe = multi
      ? (inputShape as SymbolicShape[]).map((s) => ops.zeros(concrete(s)))
      : ops.zeros(concrete(inputShape as SymbolicShape));
    const out = withCallContext({ training: false }, () => this.call(probe, { training: false }));
    const batchUnknown = (multi ? (inputShape as SymbolicShape[])[0]?.[0] : (inputShape as SymbolicShape)[0]) === null;
    const restore = (t: Tensor): SymbolicShape => t.shape.map((d, i) => (i === 0 && batchUnknown ? null : d));
    return Array.isArray(out) ? out.map(restore) : restore(out);
  }

  /** Builds on first use, checking the input spec. */
  protected maybeBuild(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
  }

  private checkInputSpec(shapes: SymbolicShape[]): void {
    if (!this.inputSpec) return;
    this.inputSpec.forEach((spec, i) => {
      const shape = shapes[i];
      if (!shape) return;
      const show = `(${shape.map((d) => (d === null ? 'None' : d)).join(', ')})`;
      if (spec.ndim !== undefined && shape.length !== spec.ndim) {
        throw new ShapeError(
          `Input ${i} of layer '${this.name}' is incompatible with the layer: expected ndim=${spec.ndim}, found ndim=${shape.length}. Full shape received: ${show}.`,
        );
      }
      if (spec.minNdim !== undefined && shape.length < spec.minNdim) {
        throw new ShapeError(
          `Input ${i} of layer '${this.name}' is incompatible with the layer: expected min_ndim=${spec.minNdim}, found ndim=${shape.length}. Full shape received: ${show}.`,
        );
      }
      for (const [axisText, size] of Object.entries(spec.axes ?? {})) {
        const axis = Number(axisText);
        const d = shape[axis < 0 ? shape.length + axis : axis];
        if (d !== null && d !== undefined && d !== size) {
          throw new ShapeError(
            `Input ${i} of layer '${this.name}' is incompatible with the layer: expected axis ${axis} of the input shape to have value ${size}, but received input with shape ${show}.`,
          );
        }
      }
    });
  }

  /**
   * Runs the layer. On tensors it computes eagerly; on symbolic tensors (from `nb.keras.input`)
   * it records a node for a functional model and returns symbolic outputs.
   */
  apply(inputs: Tensor, args?: CallArgs): Tensor;
  apply(inputs: Tensor[], args?: CallArgs): LayerOutput;
  apply(inputs: LayerInput, args?: CallArgs): LayerOutput;
  apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor;
  apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput | SymbolicTensor | SymbolicTensor[], args?: CallArgs): LayerOutput | SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs, args);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    for (const t of list) {
      if (!(t instanceof Tensor)) {
        throw new InvalidArgumentError(
          `Layer '${this.name}' was called on ${t === null ? 'null' : typeof t}; expected a Tensor, an array of Tensors, or symbolic tensors from nb.keras.input().`,
        );
      }
    }
    const shapes = list.map((t) => t.shape);
    this.checkInputSpec(shapes);
    this.maybeBuild(Array.isArray(inputs) ? shapes : shapes[0]!);
    const training = args.training ?? currentTraining();
    const out = withCallContext({ training }, () => this.call(inputs, { ...args, training }));
    if (this.outputShapes === null) {
      this.outputShapes = (Array.isArray(out) ? out : [out]).map((t) => [null, ...t.shape.slice(1)]);
    }
    return out;
  }

  private applySymbolic(inputs: SymbolicTensor | SymbolicTensor[], args: CallArgs): SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = list.map((t) => t.shape);
    this.checkInputSpec(shapes);
    const inShape = Array.isArray(inputs) ? shapes : shapes[0]!;
    this.maybeBuild(inShape);
    const outShape = this.computeOutputShape(inShape);
    const outShapes = isShapeList(outShape) ? outShape : [outShape as SymbolicShape];
    const outputs = outShapes.map(
      (s, i) => new SymbolicTensor(s, this.dtype, outShapes.length === 1 ? `${this.name}/output` : `${this.name}/output_${i}`, i),
    );
    const node = new Node(this, list, outputs, args, Array.isArray(inputs));
    this.outputShapes = outShapes;
    for (const o of outputs) o.node = node;
    this.inboundNodes.push(node);
    return isShapeList(outShape) ? outputs : outputs[0]!;
  }

  // ----- configuration -------------------------------------------------------------------

  /** The constructor arguments that recreate this layer (without weights). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  toString(): string {
    return `${this.getClassName()}(name=${this.name})`;
  }
}

function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function isShapeList(s: SymbolicShape | SymbolicShape[]): s is SymbolicShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}
