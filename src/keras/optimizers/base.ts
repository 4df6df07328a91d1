// The optimizer base class. Updates run as plain loops (or backend kernels) over Float32Arrays,
// outside op dispatch and tapes, copy-on-write: a step writes the new value into the variable's
// own buffer, or, when a view shares that buffer, into a fresh array installed with
// `Variable.replaceValues` (tensors that alias the old value never change). Every updateStep
// reads p[i] before it writes out[i], so `out` may be `p`. Slot state
// (moments, accumulators) is kept in Float32Arrays owned by the optimizer and updated in place.
//
// Semantics follow tf.keras.optimizers (the TF >= 2.11 "new" optimizers): optional gradient
// clipping (clipnorm / global_clipnorm / clipvalue), then decoupled weight decay
// `var -= var · weightDecay · lr`, then the optimizer's update, then `iterations += 1`.
// The learning rate of a step is `schedule(iterations)` with `iterations` counted before it.
import { DTypeError, FailedPreconditionError, InvalidArgumentError, ShapeError } from '../../core/errors.js';
import { formatShape, shapesEqual } from '../../core/shape.js';
import { Tensor } from '../../core/tensor.js';
import { Variable } from '../../core/variable.js';
import { GradientTape } from '../../autodiff/tape.js';
import { observers, type OpObserver, type OpRecord } from '../../ops/engine.js';
import { clipGradients } from './clip.js';
import {
  deserializeSchedule,
  isLearningRateSchedule,
  serializeSchedule,
  type LearningRateSchedule,
  type SerializedSchedule,
} from './schedules.js';

/** Options every optimizer takes (Keras names in camelCase). */
export interface OptimizerOptions {
  /** A number or a schedule of the step. */
  learningRate?: number | LearningRateSchedule;
  name?: string;
  /** Clips each gradient to this L2 norm. */
  clipNorm?: number;
  /** Clips each gradient element to [−clipValue, clipValue]. */
  clipValue?: number;
  /** Clips all gradients together to this global L2 norm. */
  globalClipNorm?: number;
  /** Decoupled weight decay: `var -= var · weightDecay · lr` before each update. */
  weightDecay?: number;
}

function checkNonNegative(owner: string, what: string, x: unknown): void {
  if (x === undefined || x === null) return;
  if (!(typeof x === 'number' && x >= 0 && Number.isFinite(x))) {
    throw new InvalidArgumentError(`${owner}: ${what} must be a non-negative number, got ${String(x)}.`);
  }
}

/** Collects the trainable variables read while it observes ops. */
class VariableCollector implements OpObserver {
  readonly variables: Variable[] = [];
  private readonly seen = new Set<number>();
  observe(record: OpRecord): void {
    for (const t of record.inputs) {
      if (t instanceof Variable && t.trainable && !this.seen.has(t.id)) {
        this.seen.add(t.id);
        this.variables.push(t);
      }
    }
  }
}

/**
 * Base class of the Keras optimizers. Subclasses declare their slots and write `updateStep`, an
 * element-wise loop over plain arrays.
 *
 * @example
 * ```ts
 * const opt = new nb.keras.optimizers.Adam({learningRate: 1e-3});
 * const grads = tape.gradient(loss, vars);
 * opt.applyGradients(vars.map((v, i) => [grads[i], v]));
 * ```
 */
export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  readonly name: string;
  /** Steps applied so far. */
  iterations = 0;
  /** A number, or a schedule of `iterations`. Settable (callbacks set a number). */
  learningRate: number | LearningRateSchedule;
  clipNorm?: number;
  clipValue?: number;
  globalClipNorm?: number;
  weightDecay?: number;

  private readonly slotsOf = new Map<Variable, Float32Array[]>();
  private readonly built: Variable[] = [];
  private readonly noDecayIds = new Set<number>();
  private noDecayNames: string[] = [];

  constructor(defaultName: string, defaultLearningRate: number, options: OptimizerOptions = {}) {
    this.name = options.name ?? defaultName;
    const lr = options.learningRate ?? defaultLearningRate;
    if (!isLearningRateSchedule(lr)) checkNonNegative(this.name, 'learningRate', lr);
    this.learningRate = lr;
    checkNonNegative(this.name, 'clipNorm', options.clipNorm);
    checkNonNegative(this.name, 'clipValue', options.clipValue);
    checkNonNegative(this.name, 'globalClipNorm', options.globalClipNorm);
    checkNonNegative(this.name, 'weightDecay', options.weightDecay);
    const clips = [options.clipNorm, options.clipValue, options.globalClipNorm].filter((c) => c !== undefined && c !== null);
    if (clips.length > 1) {
      throw new InvalidArgumentError(
        `${this.name}: only one of clipNorm, clipValue and globalClipNorm can be set (as in Keras); got ${JSON.stringify({
          clipNorm: options.clipNorm,
          clipValue: options.clipValue,
          globalClipNorm: options.globalClipNorm,
        })}.`,
      );
    }
    if (options.clipNorm !== undefined) this.clipNorm = options.clipNorm;
    if (options.clipValue !== undefined) this.clipValue = options.clipValue;
    if (options.globalClipNorm !== undefined) this.globalClipNorm = options.globalClipNorm;
    if (options.weightDecay !== undefined) this.weightDecay = options.weightDecay;
  }

  /** The Keras class name ('Adam', 'SGD', ...). */
  getClassName(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /** The learning rate at the current iteration. */
  currentLearningRate(): number {
    const lr = this.learningRate;
    return typeof lr === 'number' ? lr : lr.call(this.iterations);
  }

  /** Names of the per-variable slots, in the order `getWeights` lists them. */
  abstract slotNames(): string[];

  /** Initial value of slot `index` (default 0). */
  protected slotInitialValue(_index: number): number {
    return 0;
  }

  /** Called once per step, before the variables are updated (precompute step constants). */
  protected beginStep(_lr: number, _localStep: number): void {}

  /**
   * Writes the updated value of one variable into `out`. `param` may be `out` itself: read
   * element i before writing it. Slots are updated in place.
   */
  protected abstract updateStep(param: Float32Array, grad: Float32Array, slots: Float32Array[], lr: number, out: Float32Array): void;

  /** Creates slot state for these variables in this order (idempotent; also done lazily on first apply). */
  build(variables: readonly Variable[]): void {
    const names = this.slotNames();
    for (const v of variables) {
      if (!(v instanceof Variable)) {
        throw new InvalidArgumentError(`${this.name}.build: expected variables, got ${v === null ? 'null' : typeof v}.`);
      }
      if (this.slotsOf.has(v)) continue;
      if (v.dtype !== 'float32') {
        throw new DTypeError(`${this.name}: variable '${v.name}' has dtype ${v.dtype}; optimizers update float32 variables only.`);
      }
      const slots = names.map((_, k) => {
        const s = new Float32Array(v.size);
        const init = this.slotInitialValue(k);
        if (init !== 0) s.fill(init);
        return s;
      });
      this.slotsOf.set(v, slots);
      this.built.push(v);
    }
  }

  /** The variables built so far, in build order. */
  get variables(): readonly Variable[] {
    return this.built;
  }

  /**
   * Excludes variables (given directly, or whose name contains one of `varNames`) from weight decay,
   * as Keras `exclude_from_weight_decay`.
   */
  excludeFromWeightDecay(args: { varList?: readonly Variable[]; varNames?: readonly string[] }): void {
    for (const v of args.varList ?? []) this.noDecayIds.add(v.id);
    this.noDecayNames = [...this.noDecayNames, ...(args.varNames ?? [])];
  }

  private decays(v: Variable): boolean {
    if (!this.weightDecay) return false;
    if (this.noDecayIds.has(v.id)) return false;
    return !this.noDecayNames.some((n) => v.name.includes(n));
  }

  private checkPair(g: Tensor, v: Variable): void {
    if (!(v instanceof Variable)) {
      throw new InvalidArgumentError(`${this.name}.applyGradients: expected [gradient, variable] pairs; the second item is not a Variable.`);
    }
    if (!(g instanceof Tensor)) {
      throw new InvalidArgumentError(`${this.name}.applyGradients: the gradient for variable '${v.name}' is not a tensor.`);
    }
    if (g.dtype !== 'float32' || !(g.values instanceof Float32Array)) {
      throw new DTypeError(`${this.name}.applyGradients: the gradient for variable '${v.name}' has dtype ${g.dtype}; gradients must be dense float32.`);
    }
    if (!shapesEqual(g.shape, v.shape)) {
      throw new ShapeError(
        `${this.name}.applyGradients: the gradient for variable '${v.name}' has shape ${formatShape(g.shape)} but the variable has shape ${formatShape(v.shape)}; pass each gradient with its own variable.`,
      );
    }
    if (v.dtype !== 'float32') {
      throw new DTypeError(`${this.name}: variable '${v.name}' has dtype ${v.dtype}; optimizers update float32 variables only.`);
    }
  }

  /** One update of each variable with its gradient (null gradients skipped), then iterations++. */
  applyGradients(gradsAndVars: readonly (readonly [Tensor | null, Variable])[]): void {
    const vars: Variable[] = [];
    const gradTensors: Tensor[] = [];
    for (const pair of gradsAndVars) {
      const [g, v] = pair;
      if (g === null || g === undefined) continue;
      this.checkPair(g, v);
      vars.push(v);
      gradTensors.push(g);
    }
    this.build(vars);
    const lr = this.currentLearningRate();
    if (!Number.isFinite(lr)) {
      throw new InvalidArgumentError(`${this.name}: the learning rate at step ${this.iterations} is ${lr}; it must be finite.`);
    }
    const grads = clipGradients(
      gradTensors.map((g) => g.values as Float32Array),
      { clipNorm: this.clipNorm, globalClipNorm: this.globalClipNorm, clipValue: this.clipValue },
    );
    this.beginStep(lr, this.iterations + 1);
    const wd = this.weightDecay ?? 0;
    for (let k = 0; k < vars.length; k++) {
      const v = vars[k]!;
      const current = v.values as Float32Array;
      // Copy-on-write: the update writes into the variable's buffer unless a view shares it.
      const inPlace = v.writableInPlace;
      const next = inPlace ? current : new Float32Array(current.length);
      let param = current;
      if (this.decays(v)) {
        const f = wd * lr;
        for (let i = 0; i < next.length; i++) next[i] = current[i]! - current[i]! * f;
        param = next;
      }
      this.updateStep(param, grads[k]!, this.slotsOf.get(v)!, lr, next);
      if (!inPlace) v.replaceValues(next);
    }
    this.iterations++;
  }

  /**
   * Computes the gradients of `lossFn()` with respect to `varList` (default: the trainable
   * variables it reads) and applies them. Returns the loss.
   */
  minimize(lossFn: () => Tensor, varList?: readonly Variable[]): Tensor {
    const tape = new GradientTape();
    const collector = varList ? null : new VariableCollector();
    if (collector) observers.push(collector);
    let loss: Tensor;
    try {
      loss = tape.record(lossFn);
    } finally {
      if (collector) observers.splice(observers.lastIndexOf(collector), 1);
    }
    if (!(loss instanceof Tensor)) {
      throw new InvalidArgumentError(`${this.name}.minimize: lossFn must return a tensor, got ${typeof loss}.`);
    }
    const vars = varList ?? collector!.variables;
    if (vars.length === 0) {
      throw new InvalidArgumentError(`${this.name}.minimize: lossFn read no trainable variables; pass the variables to train as varList.`);
    }
    const grads = tape.gradient(loss, [...vars]);
    this.applyGradients(vars.map((v, i) => [grads[i] ?? null, v] as const));
    return loss;
  }

  /** Optimizer state: [iterations as an int32 scalar, ...each built variable's slots in build order]. */
  getWeights(): Tensor[] {
    const out: Tensor[] = [new Tensor([], 'int32', Int32Array.of(this.iterations))];
    for (const v of this.built) for (const s of this.slotsOf.get(v)!) out.push(new Tensor(v.shape, 'float32', s.slice()));
    return out;
  }

  /** Restores `getWeights()` output (the optimizer must be built for the same variables). */
  setWeights(weights: readonly Tensor[]): void {
    const nSlots = this.slotNames().length;
    const expected = 1 + this.built.length * nSlots;
    if (weights.length !== expected) {
      const hint =
        this.built.length === 0 && weights.length > 1
          ? ` The optimizer has not been built: call optimizer.build(variables) with the same variables first.`
          : ` Build it for the same variables (in the same order) as the optimizer that saved them.`;
      throw new FailedPreconditionError(
        `${this.name}.setWeights: expected ${expected} tensors (iterations + ${nSlots} slot(s) × ${this.built.length} variable(s)), got ${weights.length}.${hint}`,
      );
    }
    const it = weights[0]!;
    if (!(it instanceof Tensor) || it.size !== 1 || !Number.isInteger(it.values[0]) || it.values[0]! < 0) {
      throw new InvalidArgumentError(`${this.name}.setWeights: the first tensor must be the iteration count (a non-negative integer scalar).`);
    }
    let k = 1;
    for (const v of this.built) {
      for (let s = 0; s < nSlots; s++, k++) {
        const w = weights[k]!;
        if (!(w instanceof Tensor) || w.dtype !== 'float32' || !shapesEqual(w.shape, v.shape)) {
          throw new ShapeError(
            `${this.name}.setWeights: tensor ${k} (slot '${this.slotNames()[s]}' of '${v.name}') must be float32 of shape ${formatShape(v.shape)}, got ${w instanceof Tensor ? `${w.dtype} ${formatShape(w.shape)}` : typeof w}.`,
          );
        }
      }
    }
    // Validated: now change state.
    k = 1;
    for (const v of this.built) {
      const slots = this.slotsOf.get(v)!;
      for (let s = 0; s < nSlots; s++, k++) slots[s]!.set(weights[k]!.values);
    }
    this.iterations = it.values[0]!;
    this.restoreStepState(this.iterations);
  }

  /** Recomputes optimizer-level state that follows from `iterations` (Nadam's momentum product). */
  protected restoreStepState(_iterations: number): void {}

  getConfig(): Record<string, unknown> {
    const lr = this.learningRate;
    const config: Record<string, unknown> = {
      name: this.name,
      learningRate: typeof lr === 'number' ? lr : serializeSchedule(lr),
    };
    if (this.clipNorm !== undefined) config.clipNorm = this.clipNorm;
    if (this.clipValue !== undefined) config.clipValue = this.clipValue;
    if (this.globalClipNorm !== undefined) config.globalClipNorm = this.globalClipNorm;
    if (this.weightDecay !== undefined) config.weightDecay = this.weightDecay;
    return config;
  }

  /** Builds an optimizer of this class from `getConfig()` output. */
  static fromConfig<T extends Optimizer>(this: new (options?: never) => T, config: Record<string, unknown>): T {
    const lr = config.learningRate;
    const options = { ...config };
    if (lr !== undefined && typeof lr === 'object' && lr !== null && 'className' in lr) {
      options.learningRate = deserializeSchedule(lr as SerializedSchedule);
    }
    return new (this as unknown as new (options: Record<string, unknown>) => T)(options);
  }
}
