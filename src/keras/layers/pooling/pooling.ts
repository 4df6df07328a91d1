// Max and average pooling over sequences (1-D) and images (2-D), channels last.
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
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
} from '../conv/conv-utils.js';

/** Arguments of the 1-D and 2-D pooling layers. */
export interface PoolingArgs extends LayerArgs {
  /** Window size: a number (every spatial dim) or one per dim. Default 2. */
  poolSize?: number | readonly number[];
  /** Window step; defaults to `poolSize`. */
  strides?: number | readonly number[] | null;
  /** `'valid'` (default) or `'same'`. */
  padding?: 'valid' | 'same';
  /** Only `'channelsLast'`. */
  dataFormat?: DataFormatArg;
}

type PoolFn = (x: Tensor, size: [number, number], strides: [number, number], pad: 'valid' | 'same') => Tensor;

/** Base of the pooling layers over `rank` (1 or 2) spatial dims. */
export abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;
  private readonly rank: number;
  protected abstract readonly poolFn: PoolFn;

  constructor(rank: number, args: PoolingArgs = {}) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    this.rank = rank;
    this.poolSize = normalizeTuple(cls, 'poolSize', args.poolSize ?? 2, rank);
    this.strides = args.strides === undefined || args.strides === null ? [...this.poolSize] : normalizeTuple(cls, 'strides', args.strides, rank);
    this.padding = normalizePadding(cls, args.padding, ['valid', 'same'], 'valid');
    this.dataFormat = normalizeDataFormat(cls, args.dataFormat);
    this.inputSpec = [{ ndim: rank + 2 }];
  }

  private spatialOutput(inputShape: SymbolicShape): (number | null)[] {
    const out = this.poolSize.map((p, i) => convOutputLength(inputShape[i + 1] ?? null, p, this.padding, this.strides[i]!));
    assertPositiveOutput(`${this.getClassName()} '${this.name}'`, inputShape, out, `poolSize [${this.poolSize.join(', ')}] with padding '${this.padding}'`);
    return out;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.spatialOutput(inputShape), inputShape[inputShape.length - 1] ?? null];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    this.spatialOutput(x.shape);
    if (this.rank === 2) {
      return this.poolFn(x, [this.poolSize[0]!, this.poolSize[1]!], [this.strides[0]!, this.strides[1]!], this.padding);
    }
    // 1-D: pool images of height 1.
    const y = this.poolFn(ops.expandDims(x, 1), [1, this.poolSize[0]!], [1, this.strides[0]!], this.padding);
    return ops.squeeze(y, [1]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
    };
  }
}

const maxPoolFn: PoolFn = (x, size, strides, pad) => ops.maxPool(x, size, strides, pad);
const avgPoolFn: PoolFn = (x, size, strides, pad) => ops.avgPool(x, size, strides, pad);

/**
 * Max pooling over sequences `[batch, steps, channels]`.
 *
 * @example
 * ```ts
 * nb.keras.layers.maxPooling1d({poolSize: 2}).apply(nb.zeros([1, 10, 3])).shape; // [1, 5, 3]
 * ```
 */
export class MaxPooling1D extends Pooling {
  static override readonly className: string = 'MaxPooling1D';
  protected readonly poolFn = maxPoolFn;
  constructor(args: PoolingArgs = {}) {
    super(1, args);
  }
  static fromConfig(config: Record<string, unknown>): MaxPooling1D {
    return new MaxPooling1D(config as PoolingArgs);
  }
}
registerLayer(MaxPooling1D);

/**
 * Average pooling over sequences `[batch, steps, channels]` (with 'same' padding, padded steps
 * are left out of the average).
 *
 * @example
 * ```ts
 * nb.keras.layers.averagePooling1d({poolSize: 3, strides: 1}).apply(nb.zeros([1, 10, 3])).shape; // [1, 8, 3]
 * ```
 */
export class AveragePooling1D extends Pooling {
  static override readonly className: string = 'AveragePooling1D';
  protected readonly poolFn = avgPoolFn;
  constructor(args: PoolingArgs = {}) {
    super(1, args);
  }
  static fromConfig(config: Record<string, unknown>): AveragePooling1D {
    return new AveragePooling1D(config as PoolingArgs);
  }
}
registerLayer(AveragePooling1D);

/**
 * Max pooling over images `[batch, height, width, channels]`.
 *
 * @example
 * ```ts
 * nb.keras.layers.maxPooling2d({poolSize: 2}).apply(nb.zeros([1, 28, 28, 8])).shape; // [1, 14, 14, 8]
 * ```
 */
export class MaxPooling2D extends Pooling {
  static override readonly className: string = 'MaxPooling2D';
  protected readonly poolFn = maxPoolFn;
  constructor(args: PoolingArgs = {}) {
    super(2, args);
  }
  static fromConfig(config: Record<string, unknown>): MaxPooling2D {
    return new MaxPooling2D(config as PoolingArgs);
  }
}
registerLayer(MaxPooling2D);

/**
 * Average pooling over images `[batch, height, width, channels]` (with 'same' padding, padded
 * cells are left out of the average).
 *
 * @example
 * ```ts
 * nb.keras.layers.averagePooling2d({poolSize: [2, 2], padding: 'same'}).apply(nb.zeros([1, 5, 5, 2])).shape; // [1, 3, 3, 2]
 * ```
 */
export class AveragePooling2D extends Pooling {
  static override readonly className: string = 'AveragePooling2D';
  protected readonly poolFn = avgPoolFn;
  constructor(args: PoolingArgs = {}) {
    super(2, args);
  }
  static fromConfig(config: Record<string, unknown>): AveragePooling2D {
    return new AveragePooling2D(config as PoolingArgs);
  }
}
registerLayer(AveragePooling2D);

/**
 * Creates a MaxPooling1D layer.
 * @example
 * ```ts
 * nb.keras.layers.maxPooling1d({poolSize: 2, strides: 1, padding: 'same'});
 * ```
 */
export function maxPooling1d(args: PoolingArgs = {}): MaxPooling1D {
  return new MaxPooling1D(args);
}

/**
 * Creates an AveragePooling1D layer.
 * @example
 * ```ts
 * nb.keras.layers.averagePooling1d({poolSize: 4});
 * ```
 */
export function averagePooling1d(args: PoolingArgs = {}): AveragePooling1D {
  return new AveragePooling1D(args);
}

/**
 * Creates a MaxPooling2D layer.
 * @example
 * ```ts
 * const pool = nb.keras.layers.maxPooling2d({poolSize: [2, 2], strides: [2, 2]});
 * pool.apply(nb.zeros([4, 32, 32, 16])).shape; // [4, 16, 16, 16]
 * ```
 */
export function maxPooling2d(args: PoolingArgs = {}): MaxPooling2D {
  return new MaxPooling2D(args);
}

/**
 * Creates an AveragePooling2D layer.
 * @example
 * ```ts
 * const pool = nb.keras.layers.averagePooling2d({poolSize: 2});
 * pool.apply(nb.zeros([4, 32, 32, 16])).shape; // [4, 16, 16, 16]
 * ```
 */
export function averagePooling2d(args: PoolingArgs = {}): AveragePooling2D {
  return new AveragePooling2D(args);
}
