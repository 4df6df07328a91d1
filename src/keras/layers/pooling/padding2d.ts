// ZeroPadding2D and Cropping2D: add or remove rows and columns at the borders of images.
import { ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { normalizeDataFormat, normalizePadding2D, showShape, withKerasName, type DataFormat, type DataFormatArg } from '../conv/conv-utils.js';

/** `n` (all sides), `[rows, cols]` (symmetric), or `[[top, bottom], [left, right]]`. */
export type Padding2DArg = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

export interface ZeroPadding2DArgs extends LayerArgs {
  /** Rows/columns of zeros to add (default 1). */
  padding?: Padding2DArg;
  /** Only `'channelsLast'`. */
  dataFormat?: DataFormatArg;
}

export interface Cropping2DArgs extends LayerArgs {
  /** Rows/columns to remove (default 0). */
  cropping?: Padding2DArg;
  /** Only `'channelsLast'`. */
  dataFormat?: DataFormatArg;
}

const add = (d: number | null | undefined, n: number): number | null => (d === null || d === undefined ? null : d + n);

/**
 * Adds rows and columns of zeros around images `[batch, h, w, c]`.
 *
 * @example
 * ```ts
 * const pad = nb.keras.layers.zeroPadding2d({padding: [[1, 2], [0, 3]]});
 * pad.apply(nb.zeros([1, 4, 4, 3])).shape; // [1, 7, 7, 3]
 * ```
 */
export class ZeroPadding2D extends Layer {
  static override readonly className: string = 'ZeroPadding2D';
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    this.padding = normalizePadding2D(cls, 'padding', args.padding ?? 1);
    this.dataFormat = normalizeDataFormat(cls, args.dataFormat);
    this.inputSpec = [{ ndim: 4 }];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [[t, b], [l, r]] = this.padding;
    return [inputShape[0] ?? null, add(inputShape[1], t + b), add(inputShape[2], l + r), inputShape[3] ?? null];
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [h, w] = this.padding;
    return ops.pad(x, [[0, 0], [...h], [...w], [0, 0]]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat };
  }

  static fromConfig(config: Record<string, unknown>): ZeroPadding2D {
    return new ZeroPadding2D(config as ZeroPadding2DArgs);
  }
}
registerLayer(ZeroPadding2D);

/**
 * Removes rows and columns at the borders of images `[batch, h, w, c]`.
 *
 * @example
 * ```ts
 * const crop = nb.keras.layers.cropping2d({cropping: [[1, 1], [2, 0]]});
 * crop.apply(nb.zeros([1, 6, 6, 3])).shape; // [1, 4, 4, 3]
 * ```
 */
export class Cropping2D extends Layer {
  static override readonly className: string = 'Cropping2D';
  /** `[[top, bottom], [left, right]]`. */
  readonly cropping: [[number, number], [number, number]];
  readonly dataFormat: DataFormat;

  constructor(args: Cropping2DArgs = {}) {
    super(withKerasName(new.target, args));
    const cls = this.getClassName();
    this.cropping = normalizePadding2D(cls, 'cropping', args.cropping ?? 0);
    this.dataFormat = normalizeDataFormat(cls, args.dataFormat);
    this.inputSpec = [{ ndim: 4 }];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [[t, b], [l, r]] = this.cropping;
    const out: SymbolicShape = [inputShape[0] ?? null, add(inputShape[1], -(t + b)), add(inputShape[2], -(l + r)), inputShape[3] ?? null];
    if ((out[1] !== null && out[1]! < 1) || (out[2] !== null && out[2]! < 1)) {
      throw new ShapeError(
        `${this.getClassName()} '${this.name}': cropping [[${t}, ${b}], [${l}, ${r}]] removes the whole input of shape ${showShape(inputShape)}; ` +
          `the cropping of each spatial dim must be smaller than its size.`,
      );
    }
    return out;
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const [, h, w] = this.computeOutputShape(x.shape) as number[];
    return ops.slice(x, [0, this.cropping[0][0], this.cropping[1][0], 0], [-1, h!, w!, -1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), dataFormat: this.dataFormat };
  }

  static fromConfig(config: Record<string, unknown>): Cropping2D {
    return new Cropping2D(config as Cropping2DArgs);
  }
}
registerLayer(Cropping2D);

/**
 * Creates a ZeroPadding2D layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.zeroPadding2d({padding: 2}).apply(nb.zeros([1, 4, 4, 3])).shape; // [1, 8, 8, 3]
 * ```
 */
export function zeroPadding2d(args: ZeroPadding2DArgs = {}): ZeroPadding2D {
  return new ZeroPadding2D(args);
}

/**
 * Creates a Cropping2D layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.cropping2d({cropping: [1, 2]}).apply(nb.zeros([1, 6, 6, 3])).shape; // [1, 4, 2, 3]
 * ```
 */
export function cropping2d(args: Cropping2DArgs = {}): Cropping2D {
  return new Cropping2D(args);
}
