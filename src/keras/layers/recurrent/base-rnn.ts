import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import * as ops from '../../../ops/index.js';
import { layerDropout } from '../core/traced-dropout.js';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations.js';
import { getConstraint, serializeConstraint, type ConstraintConfig } from '../../constraints.js';
import { getInitializer, glorotUniform, orthogonal, serializeInitializer, zeros, type InitializerConfig } from '../../initializers.js';
import { getRegularizer, serializeRegularizer, type RegularizerConfig } from '../../regularizers.js';
import {
  Layer,
  type CallArgs,
  type Constraint,
  type Initializer,
  type LayerArgs,
  type LayerInput,
  type LayerOutput,
  type Regularizer,
} from '../../engine/layer.js';
import type { SymbolicShape, SymbolicTensor } from '../../engine/symbolic.js';

type InitializerId = string | Initializer | InitializerConfig;
type RegularizerId = string | Regularizer | RegularizerConfig | null;
type ConstraintId = string | Constraint | ConstraintConfig | null;

/** Arguments shared by SimpleRNN, LSTM and GRU (camelCase, as TensorFlow.js names them). */
export interface BaseRNNArgs extends LayerArgs {
  /** Size of the hidden state (and of the output's last axis). */
  units: number;
  /** Activation of the candidate state and output (default 'tanh'; null means linear). */
  activation?: string | ActivationFn | null;
  useBias?: boolean;
  /** Input kernel initializer (default glorotUniform). */
  kernelInitializer?: InitializerId;
  /** Recurrent kernel initializer (default orthogonal). */
  recurrentInitializer?: InitializerId;
  /** Bias initializer (default zeros). */
  biasInitializer?: InitializerId;
  kernelRegularizer?: RegularizerId;
  recurrentRegularizer?: RegularizerId;
  biasRegularizer?: RegularizerId;
  /** Penalty on the layer's output (the first output when returnState). */
  activityRegularizer?: RegularizerId;
  kernelConstraint?: ConstraintId;
  recurrentConstraint?: ConstraintId;
  biasConstraint?: ConstraintId;
  /** Fraction of the input features dropped in training (one mask per sequence). */
  dropout?: number;
  /** Fraction of the recurrent state dropped in training (one mask per sequence). */
  recurrentDropout?: number;
  /** Return the output of every timestep ([batch, time, units]) instead of the last one. */
  returnSequences?: boolean;
  /** Also return the final states: [output, ...states]. */
  returnState?: boolean;
  /** Process the sequence backwards (outputs come in processing order, as in Keras). */
  goBackwards?: boolean;
  /** Not supported: passing true raises an error. */
  stateful?: boolean;
  /** Accepted for Keras compatibility; the loop is always unrolled eagerly, so it has no effect. */
  unroll?: boolean;
}

/** Everything a cell step needs besides the current input projection and the states. */
export interface StepContext {
  /** Recurrent dropout mask ([batch, units]) applied to h before the recurrent matMul, or null. */
  recurrentMask: Tensor | null;
}

/** One timestep: the input projection `x_t·W (+ b)` and the previous states → the new states (h first). */
export type StepFn = (xProjection: Tensor, states: Tensor[]) => Tensor[];

function checkRate(layer: string, what: string, rate: number): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new InvalidArgumentError(`${layer}: ${what} must be a number in [0, 1), got ${String(rate)}.`);
  }
  return rate;
}

/**
 * The recurrent layers' shared machinery (SimpleRNN, LSTM, GRU): weights, dropout masks, initial
 * states and the time loop. The input projection of every timestep is one matMul over
 * [batch·time, inputDim] before the loop; each step then does only the recurrent matMul and the
 * element-wise gates, all with ops, so a GradientTape differentiates through time.
 *
 * Subclasses give the number of gates, the number of states, the bias shape and the step.
 */
export abstract class BaseRNN extends Layer {
  readonly units: number;
  readonly activation: ActivationFn;
  protected readonly activationName: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  kernel!: Variable;
  recurrentKernel!: Variable;
  bias: Variable | null = null;

  constructor(args: BaseRNNArgs) {
    super(args);
    const cls = this.getClassName();
    if (args.stateful) {
      throw new InvalidArgumentError(
        `${cls} '${this.name}': stateful=true is not supported by nabla; keep states across batches yourself by passing {initialState} in the call and returnState: true.`,
      );
    }
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new InvalidArgumentError(`${cls}: units must be a positive integer, got ${String(args.units)}.`);
    }
    this.units = args.units;
    const activation = args.activation === undefined ? 'tanh' : args.activation;
    this.activation = getActivation(activation, this.name);
    this.activationName = serializeActivation(activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, glorotUniform(), this.name);
    this.recurrentInitializer = getInitializer(args.recurrentInitializer, orthogonal(), this.name);
    this.biasInitializer = getInitializer(args.biasInitializer, zeros(), this.name);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, this.name);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer, this.name);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, this.name);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, this.name);
    this.kernelConstraint = getConstraint(args.kernelConstraint, this.name);
    this.recurrentConstraint = getConstraint(args.recurrentConstraint, this.name);
    this.biasConstraint = getConstraint(args.biasConstraint, this.name);
    this.dropout = checkRate(cls, 'dropout', args.dropout ?? 0);
    this.recurrentDropout = checkRate(cls, 'recurrentDropout', args.recurrentDropout ?? 0);
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.unroll = args.unroll ?? false;
    this.inputSpec = [{ ndim: 3 }];
  }

  /** Gates stacked in the kernels' last axis (SimpleRNN 1, GRU 3, LSTM 4). */
  protected abstract gateCount(): number;

  /** Number of state tensors (LSTM 2: h and c; others 1). */
  abstract stateCount(): number;

  /** Shape of the bias weight. */
  protected biasShape(): number[] {
    return [this.gateCount() * this.units];
  }

  /** The bias initializer actually used to create the weight (LSTM wraps it for unitForgetBias). */
  protected effectiveBiasInitializer(): Initializer {
    return this.biasInitializer;
  }

  /** The bias added to the input projection ([gates·units]), or null. Called once per call. */
  protected inputBias(): Tensor | null {
    return this.bias;
  }

  /** Builds the per-timestep function for one call (slices of weights are taken here, once). */
  protected abstract makeStep(ctx: StepContext): StepFn;

  /**
   * The whole time loop as one fused op, where a subclass has one and it applies: from the input
   * projections [batch, time, gates·units] (already in processing order) and the initial states →
   * h of every step [batch, time, units] and the final states; null runs the step loop instead.
   */
  protected runFusedSequence(_projection: Tensor, _states: Tensor[], _ctx: StepContext): { sequence: Tensor; states: Tensor[] } | null {
    return null;
  }

  /**
   * Runs the layer (see `Layer.apply`). An `initialState` call argument is passed on as extra
   * inputs `[x, ...states]`, as Keras does, so it also works on symbolic tensors in functional models.
   */
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
    const inputDim = shape[shape.length - 1];
    if (shape.length !== 3) {
      throw new ShapeError(
        `${this.name}: expected input of rank 3 [batch, time, features], got shape [${shape.map((d) => d ?? 'None').join(',')}].`,
      );
    }
    if (inputDim === null || inputDim === undefined) {
      throw new InvalidArgumentError(`${this.name}: the last (feature) dimension of the input must be known, got shape [${shape.join(',')}].`);
    }
    const width = this.gateCount() * this.units;
    this.kernel = this.addWeight('kernel', {
      shape: [inputDim, width],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight('recurrent_kernel', {
      shape: [this.units, width],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', {
        shape: this.biasShape(),
        initializer: this.effectiveBiasInitializer(),
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [{ ndim: 3, axes: { [-1]: inputDim } }];
  }

  /** Zero states for a batch. */
  protected zeroStates(batch: number): Tensor[] {
    return Array.from({ length: this.stateCount() }, () => ops.zeros([batch, this.units], this.dtype));
  }

  private resolveInitialState(given: unknown, batch: number): Tensor[] {
    if (given === undefined || given === null) return this.zeroStates(batch);
    const list = (Array.isArray(given) ? given : [given]) as unknown[];
    const n = this.stateCount();
    if (list.length !== n) {
      throw new InvalidArgumentError(
        `${this.name}: initialState must be a list of ${n} tensor${n === 1 ? '' : 's'} (${n === 2 ? '[h, c]' : '[h]'}), got ${list.length}.`,
      );
    }
    return list.map((s, i) => {
      const t = s as Tensor;
      if (!t || !Array.isArray(t.shape) || t.shape.length !== 2 || t.shape[0] !== batch || t.shape[1] !== this.units) {
        const shape = t && Array.isArray(t.shape) ? `[${t.shape.join(',')}]` : String(s);
        throw new ShapeError(`${this.name}: initialState[${i}] must have shape [${batch},${this.units}] ([batch, units]), got ${shape}.`);
      }
      return t;
    });
  }

  /**
   * Runs the sequence. `inputs` is [batch, time, features] (or [x, ...initialStates]);
   * `args.initialState` gives the initial states ([h] or [h, c] for LSTM), zeros otherwise.
   */
  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0]!;
    if (x.rank !== 3) {
      throw new ShapeError(`${this.name}: expected input of rank 3 [batch, time, features], got shape [${x.shape.join(',')}].`);
    }
    const [batch, time, inputDim] = x.shape as [number, number, number];
    if (time === 0) {
      throw new ShapeError(`${this.name}: the input has 0 timesteps (shape [${x.shape.join(',')}]); a recurrent layer needs at least one.`);
    }
    const training = args.training === true;
    let states = this.resolveInitialState(list.length > 1 ? list.slice(1) : args.initialState, batch);

    // Input dropout: one mask per sequence, shared by all timesteps.
    let xs = x;
    if (training && this.dropout > 0) {
      const mask = layerDropout(this, 'inputMask', ops.ones([batch, 1, inputDim], this.dtype), this.dropout, { seed: () => undefined });
      xs = ops.mul(xs, mask);
    }
    const width = this.gateCount() * this.units;
    let projection = ops.matMul(ops.reshape(xs, [batch * time, inputDim]), this.kernel);
    const inBias = this.inputBias();
    if (inBias) projection = ops.add(projection, inBias);
    const recurrentMask =
      training && this.recurrentDropout > 0 ? layerDropout(this, 'recurrentMask', ops.ones([batch, this.units], this.dtype), this.recurrentDropout, { seed: () => undefined }) : null;
    const sequence = ops.reshape(projection, [batch, time, width]);
    const fused = this.runFusedSequence(this.goBackwards ? ops.reverse(sequence, [1]) : sequence, states, { recurrentMask });
    if (fused) {
      const output = this.returnSequences ? fused.sequence : fused.states[0]!;
      if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(output));
      return this.returnState ? [output, ...fused.states] : output;
    }
    const steps = time === 1 ? [ops.reshape(projection, [batch, width])] : ops.unstack(sequence, 1);
    if (this.goBackwards) steps.reverse();

    const step = this.makeStep({ recurrentMask });
    const outputs: Tensor[] = [];
    for (const xt of steps) {
      states = step(xt, states);
      if (this.returnSequences) outputs.push(states[0]!);
    }
    const output = this.returnSequences ? (outputs.length === 1 ? ops.expandDims(outputs[0]!, 1) : ops.stack(outputs, 1)) : states[0]!;
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(output));
    return this.returnState ? [output, ...states] : output;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shape = firstShape(inputShape);
    const batch = shape[0] ?? null;
    const output: SymbolicShape = this.returnSequences ? [batch, shape[1] ?? null, this.units] : [batch, this.units];
    if (!this.returnState) return output;
    return [output, ...Array.from({ length: this.stateCount() }, (): SymbolicShape => [batch, this.units])];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      recurrentRegularizer: serializeRegularizer(this.recurrentRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      recurrentConstraint: serializeConstraint(this.recurrentConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: this.unroll,
    };
  }
}

/** The input shape of the sequence when a layer is given [x, ...states] shapes. */
export function firstShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
  return inputShape.length > 0 && Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[])[0]! : (inputShape as SymbolicShape);
}

/**
 * Moves an `initialState` call argument into the inputs (`[x, ...states]`), as Keras's RNN does,
 * so initial states flow through functional graphs like any other input.
 */
export function foldInitialState(
  inputs: LayerInput | SymbolicTensor | SymbolicTensor[],
  args: CallArgs,
): [LayerInput | SymbolicTensor | SymbolicTensor[], CallArgs] {
  const { initialState, ...rest } = args;
  if (initialState === undefined || initialState === null) return [inputs, rest];
  const states = (Array.isArray(initialState) ? initialState : [initialState]) as (Tensor | SymbolicTensor)[];
  const list = (Array.isArray(inputs) ? inputs : [inputs]) as (Tensor | SymbolicTensor)[];
  if (list.length > 1) {
    throw new InvalidArgumentError('initialState was given both as extra inputs [x, ...states] and as the initialState call argument; use one.');
  }
  return [[...list, ...states] as LayerInput | SymbolicTensor[], rest];
}

/** `h` with the recurrent dropout mask applied (for the recurrent matMul only). */
export function maskState(h: Tensor, mask: Tensor | null): Tensor {
  return mask ? ops.mul(h, mask) : h;
}
