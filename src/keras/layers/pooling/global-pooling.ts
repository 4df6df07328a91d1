// Global pooling: one value per channel (mean or max over every spatial position).
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { normalizeDataFormat, withKerasName, type DataFormat, type DataFormatArg } from '../conv/conv-utils.js';

export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the spatial dims with size 1 (`[batch, 1, 1, channels]`) instead of dropping them. */
  keepdims?: boolean;
  /** Only `'channelsLast'`. */
  dataFormat?: DataFormatArg;
}

/** Base of the global pooling layers over `rank` (1 or 2) spatial dims. */
export abstract class GlobalPooling extends Layer {
  readonly keepdims: boolean;
  readonly dataFormat: DataFormat;
  private readonly axes: number[];
  protected abstract reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor;

  constructor(rank: number, args: GlobalPoolingArgs = {}) {
    super(withKerasName(new.target, args));
    this.keepdims = args.keepdims ?? false;
    this.dataFormat = normalizeDataFormat(this.getClassName(), args.dataFormat);
    this.axes = rank === 1 ? [1] : [1, 2];
    this.inputSpec = [{ ndim: rank + 2 }];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const c = inputShape[inputShape.length - 1] ?? null;
    return this.keepdims ? [inputShape[0] ?? null, ...this.axes.map(() => 1), c] : [inputShape[0] ?? null, c];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return this.reduce(x, this.axes, this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

/**
 * Mean over the steps of sequences `[batch, steps, channels]` → `[batch, channels]`.
 * @example
 * ```ts
 * nb.keras.layers.globalAveragePooling1d().apply(nb.zeros([2, 10, 4])).shape; // [2, 4]
 * ```
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
  }
  protected reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor {
    return ops.mean(x, axes, keepdims);
  }
  static fromConfig(config: Record<string, unknown>): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(config as GlobalPoolingArgs);
  }
}
registerLayer(GlobalAveragePooling1D);

/**
 * Max over the steps of sequences `[batch, steps, channels]` → `[batch, channels]`.
 * @example
 * ```ts
 * nb.keras.layers.globalMaxPooling1d().apply(nb.zeros([2, 10, 4])).shape; // [2, 4]
 * ```
 */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
  }
  protected reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor {
    return ops.max(x, axes, keepdims);
  }
  static fromConfig(config: Record<string, unknown>): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(config as GlobalPoolingArgs);
  }
}
registerLayer(GlobalMaxPooling1D);

/**
 * Mean over height and width of images `[batch, h, w, channels]` → `[batch, channels]`
 * (`[batch, 1, 1, channels]` with `keepdims`).
 * @example
 * ```ts
 * nb.keras.layers.globalAveragePooling2d().apply(nb.zeros([2, 7, 7, 64])).shape; // [2, 64]
 * ```
 */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }
  protected reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor {
    return ops.mean(x, axes, keepdims);
  }
  static fromConfig(config: Record<string, unknown>): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(config as GlobalPoolingArgs);
  }
}
registerLayer(GlobalAveragePooling2D);

/**
 * Max over height and width of images `[batch, h, w, channels]` → `[batch, channels]`
 * (`[batch, 1, 1, channels]` with `keepdims`).
 * @example
 * ```ts
 * nb.keras.layers.globalMaxPooling2d({keepdims: true}).apply(nb.zeros([2, 7, 7, 64])).shape; // [2, 1, 1, 64]
 * ```
 */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }
  protected reduce(x: Tensor, axes: number[], keepdims: boolean): Tensor {
    return ops.max(x, axes, keepdims);
  }
  static fromConfig(config: Record<string, unknown>): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(config as GlobalPoolingArgs);
  }
}
registerLayer(GlobalMaxPooling2D);

/**
 * Creates a GlobalAveragePooling1D layer.
 * @example
 * ```ts
 * nb.keras.layers.globalAveragePooling1d();
 * ```
 */
export function globalAveragePooling1d(args: GlobalPoolingArgs = {}): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(args);
}

/**
 * Creates a GlobalMaxPooling1D layer.
 * @example
 * ```ts
 * nb.keras.layers.globalMaxPooling1d({keepdims: true});
 * ```
 */
export function globalMaxPooling1d(args: GlobalPoolingArgs = {}): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(args);
}

/**
 * Creates a GlobalAveragePooling2D layer (the usual head of a CNN classifier).
 * @example
 * ```ts
 * const gap = nb.keras.layers.globalAveragePooling2d();
 * gap.apply(nb.zeros([8, 4, 4, 128])).shape; // [8, 128]
 * ```
 */
export function globalAveragePooling2d(args: GlobalPoolingArgs = {}): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(args);
}

/**
 * Creates a GlobalMaxPooling2D layer.
 * @example
 * ```ts
 * const gmp = nb.keras.layers.globalMaxPooling2d();
 * gmp.apply(nb.zeros([8, 4, 4, 128])).shape; // [8, 128]
 * ```
 */
export function globalMaxPooling2d(args: GlobalPoolingArgs = {}): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(args);
}
