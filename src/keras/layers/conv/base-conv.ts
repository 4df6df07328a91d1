// The parts every convolution layer shares: window arguments, bias, activation, activity
// regularisation, and the output-shape rule.
import { InvalidArgumentError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import * as ops from '../../../ops/index.js';
import { getActivation, serializeActivation, type ActivationFn } from '../../activations.js';
import { getConstraint, serializeConstraint, type ConstraintConfig } from '../../constraints.js';
import { getInitializer, serializeInitializer, zeros, type InitializerConfig } from '../../initializers.js';
import { getRegularizer, serializeRegularizer, type RegularizerConfig } from '../../regularizers.js';
import { Layer, type Constraint, type Initializer, type LayerArgs, type Regularizer } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import {
  assertPositiveOutput,
  convOutputLength,
  normalizeDataFormat,
  normalizePadding,
  normalizeTuple,
  withKerasName,
  type DataFormat,
  type DataFormatArg,
} from './conv-utils.js';

export type InitializerArg = string | Initializer | InitializerConfig;
export type RegularizerArg = string | Regularizer | RegularizerConfig | null;
export type ConstraintArg = string | Constraint | ConstraintConfig | null;

/** Arguments shared by all convolution layers. */
export interface BaseConvArgs extends LayerArgs {
  /** Window size: one number for every spatial dim, or one per dim. */
  kernelSize: number | readonly number[];
  /** Window step (default 1). Cannot exceed 1 together with `dilationRate`. */
  strides?: number | readonly number[];
  /** `'valid'` (default), `'same'`, or `'causal'` (Conv1D only). */
  padding?: 'valid' | 'same' | 'causal';
  /** Only `'channelsLast'`. */
  dataFormat?: DataFormatArg;
  /** Spacing between kernel taps (atrous convolution, default 1). */
  dilationRate?: number | readonly number[];
  activation?: string | ActivationFn | null;
  useBias?: boolean;
  biasInitializer?: InitializerArg;
  biasRegularizer?: RegularizerArg;
  activityRegularizer?: RegularizerArg;
  biasConstraint?: ConstraintArg;
}

/** Arguments of the convolutions with one full kernel (Conv1D, Conv2D, Conv2DTranspose). */
export interface ConvArgs extends BaseConvArgs {
  /** Number of output channels. */
  filters: number;
  kernelInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
}

/** Checks a `filters` / `depthMultiplier` style argument. */
export function positiveInt(layer: string, what: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new InvalidArgumentError(`${layer}: ${what} must be a positive integer, got ${JSON.stringify(value) ?? String(value)}.`);
  }
  return value as number;
}

/**
 * Base of the convolution layers over `rank` spatial dims (channels last). Subclasses create
 * their kernels in `build` and compute `convolve(x)`; bias, activation and activity
 * regularisation are added here.
 */
export abstract class BaseConv extends Layer {
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same' | 'causal';
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: ActivationFn;
  protected readonly activationName: string;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
  bias: Variable | null = null;

  constructor(rank: number, args: BaseConvArgs) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    if (args === undefined || args === null || typeof args !== 'object') {
      throw new InvalidArgumentError(`${cls}: expected an arguments object such as {kernelSize: 3}, got ${String(args)}.`);
    }
    this.rank = rank;
    if (args.kernelSize === undefined) throw new InvalidArgumentError(`${cls}: kernelSize is required (a positive integer or a tuple of ${rank}).`);
    this.kernelSize = normalizeTuple(cls, 'kernelSize', args.kernelSize, rank);
    this.strides = normalizeTuple(cls, 'strides', args.strides ?? 1, rank);
    this.padding = normalizePadding(cls, args.padding, rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same'], 'valid');
    this.dataFormat = normalizeDataFormat(cls, args.dataFormat);
    this.dilationRate = normalizeTuple(cls, 'dilationRate', args.dilationRate ?? 1, rank);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new InvalidArgumentError(
        `${cls}: strides > 1 cannot be combined with dilationRate > 1 (got strides [${this.strides.join(', ')}] and dilationRate [${this.dilationRate.join(', ')}]); set one of them to 1.`,
      );
    }
    this.activation = getActivation(args.activation, this.name);
    this.activationName = serializeActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = getInitializer(args.biasInitializer, zeros(), this.name);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, this.name);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, this.name);
    this.biasConstraint = getConstraint(args.biasConstraint, this.name);
    this.inputSpec = [{ ndim: rank + 2 }];
  }

  /** `Conv2D 'conv2d_3'`, for error messages. */
  protected get label(): string {
    return `${this.getClassName()} '${this.name}'`;
  }

  /** The known channel count of an input shape (errors name the layer). */
  protected channelsOf(inputShape: SymbolicShape): number {
    const c = inputShape[inputShape.length - 1];
    if (c === null || c === undefined) {
      throw new InvalidArgumentError(
        `${this.label}: the channel dimension (last axis) of the input must be known, got shape [${inputShape.join(',')}].`,
      );
    }
    return c;
  }

  /** Creates the bias of `size` output channels, when `useBias`. */
  protected buildBias(size: number): void {
    if (!this.useBias) return;
    this.bias = this.addWeight('bias', {
      shape: [size],
      initializer: this.biasInitializer,
      regularizer: this.biasRegularizer,
      constraint: this.biasConstraint,
    });
  }

  /** Number of output channels for `inChannels` input channels. */
  protected abstract outputChannels(inChannels: number | null): number | null;

  /** Spatial output sizes of a (forward) convolution of this layer's window. */
  protected spatialOutput(inputShape: SymbolicShape): (number | null)[] {
    const out = this.kernelSize.map((k, i) => convOutputLength(inputShape[i + 1] ?? null, k, this.padding, this.strides[i]!, this.dilationRate[i]!));
    assertPositiveOutput(
      this.label,
      inputShape,
      out,
      `kernelSize [${this.kernelSize.join(', ')}] with dilationRate [${this.dilationRate.join(', ')}] and padding '${this.padding}'`,
    );
    return out;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.spatialOutput(inputShape), this.outputChannels(inputShape[inputShape.length - 1] ?? null)];
  }

  /** Adds the bias, applies the activation and records the activity penalty. */
  protected finish(y: Tensor): Tensor {
    let out = this.bias ? ops.add(y, this.bias) : y;
    out = this.activation(out);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(out));
    return out;
  }

  /** Shared config entries (window, bias, activation); subclasses add their kernels'. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: this.activationName,
      useBias: this.useBias,
      biasInitializer: serializeInitializer(this.biasInitializer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      biasConstraint: serializeConstraint(this.biasConstraint),
    };
  }
}

/** A convolution with one full kernel and `filters` output channels. */
export abstract class Conv extends BaseConv {
  readonly filters: number;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  kernel!: Variable;

  constructor(rank: number, args: ConvArgs, defaultKernelInitializer: Initializer) {
    super(rank, args);
    this.filters = positiveInt(this.getClassName(), 'filters', args.filters);
    this.kernelInitializer = getInitializer(args.kernelInitializer, defaultKernelInitializer, this.name);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, this.name);
    this.kernelConstraint = getConstraint(args.kernelConstraint, this.name);
  }

  protected addKernel(shape: number[]): Variable {
    return this.addWeight('kernel', {
      shape,
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
  }

  protected outputChannels(): number {
    return this.filters;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
    };
  }
}
