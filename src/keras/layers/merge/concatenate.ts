import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import * as ops from '../../../ops/index.js';
import type { LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { Merge, showShape } from './base.js';

export interface ConcatenateArgs extends LayerArgs {
  /** Axis to join along (default -1, the last). */
  axis?: number;
}

/**
 * Joins a list of inputs along `axis`; all other dims must match.
 *
 * @example
 * ```ts
 * nb.keras.layers.concatenate().apply([nb.zeros([2, 3]), nb.zeros([2, 5])]).shape; // [2, 8]
 * ```
 */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) {
      throw new InvalidArgumentError(`Concatenate '${this.name}': axis must be an integer, got ${String(axis)}.`);
    }
    this.axis = axis;
  }

  protected outputShapeFor(shapes: readonly SymbolicShape[]): SymbolicShape {
    const first = shapes[0]!;
    const rank = first.length;
    const all = shapes.map(showShape).join(', ');
    shapes.forEach((s, i) => {
      if (s.length !== rank) {
        throw new ShapeError(
          `Concatenate '${this.name}': all inputs must have the same rank, but input 0 has shape ${showShape(first)} and input ${i} has shape ${showShape(s)}. Got shapes: ${all}.`,
        );
      }
    });
    if (this.axis < -rank || this.axis >= rank) {
      throw new InvalidArgumentError(
        `Concatenate '${this.name}': axis ${this.axis} is out of range for inputs of rank ${rank}; expected an integer in [${-rank}, ${rank}).`,
      );
    }
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const out: (number | null)[] = [];
    for (let d = 0; d < rank; d++) {
      if (d === axis) {
        const sizes = shapes.map((s) => s[d] ?? null);
        out.push(sizes.some((v) => v === null) ? null : (sizes as number[]).reduce((a, b) => a + b, 0));
        continue;
      }
      let size: number | null = null;
      shapes.forEach((s, i) => {
        const v = s[d] ?? null;
        if (v === null) return;
        if (size !== null && size !== v) {
          throw new ShapeError(
            `Concatenate '${this.name}': inputs must match in every dim except the concatenation axis (${this.axis}), but dim ${d} differs: input 0 has shape ${showShape(first)} and input ${i} has shape ${showShape(s)}. Got shapes: ${all}.`,
          );
        }
        size = v;
      });
      out.push(size);
    }
    return out;
  }

  protected mergeFunction(xs: Tensor[]): Tensor {
    return xs.length === 1 ? xs[0]! : ops.concat(xs, this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }

  static fromConfig(config: Record<string, unknown>): Concatenate {
    return new Concatenate(config as ConcatenateArgs);
  }
}
registerLayer(Concatenate);

/**
 * Creates a Concatenate layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.concatenate({axis: 1}).apply([a, b]);
 * ```
 */
export function concatenate(args: ConcatenateArgs = {}): Concatenate {
  return new Concatenate(args);
}
