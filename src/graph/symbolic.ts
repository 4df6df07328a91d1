import type { DType } from '../core/dtype.js';
import { FailedPreconditionError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor, type NestedArray } from '../core/tensor.js';
import type { TypedArray } from '../core/dtype.js';
import type { GraphNode } from './node.js';

const EMPTY = new Float32Array(0);

/**
 * A tensor of a graph: the output `index` of `node`. It has a dtype and a static shape in which
 * unknown dimensions are -1 (`shapeWithNulls` gives them as null, like TensorFlow's `None`),
 * but no values: run it in a `Session` (or through `nb.function`) to get them.
 *
 * @example
 * ```ts
 * const g = new nb.v1.Graph();
 * g.asDefault(() => {
 *   const x = nb.v1.placeholder('float32', [null, 3], 'x');
 *   x.shapeWithNulls; // [null, 3]
 * });
 * ```
 */
export class SymbolicTensor extends Tensor {
  readonly node: GraphNode;
  readonly index: number;

  constructor(node: GraphNode, index: number, shape: readonly number[], dtype: DType) {
    super([0], dtype, dtype === 'float32' ? EMPTY : undefined);
    const s = shape.map((d) => (d < 0 ? -1 : d));
    const w = this as unknown as { shape: readonly number[]; size: number };
    w.shape = s;
    w.size = s.some((d) => d < 0) ? -1 : s.reduce((a, b) => a * b, 1);
    this.node = node;
    this.index = index;
    // Reading the storage of a symbolic tensor is a bug (e.g. eager Variable.assign inside
    // nb.function): fail loudly instead of computing with an empty array.
    Object.defineProperty(this, 'values', { get: () => this.noValues(), set: () => this.noValues() });
  }

  /** `node:index`, TensorFlow's tensor name. */
  get name(): string {
    return `${this.node.name}:${this.index}`;
  }

  /** The graph this tensor belongs to. */
  get graph(): GraphNode['graph'] {
    return this.node.graph;
  }

  /** The static shape with null for unknown dimensions. */
  get shapeWithNulls(): (number | null)[] {
    return this.shape.map((d) => (d < 0 ? null : d));
  }

  /** The op (graph node) that produces this tensor. */
  get op(): GraphNode {
    return this.node;
  }

  private noValues(): never {
    throw new FailedPreconditionError(
      `Tensor '${this.name}' (shape ${formatShape(this.shape)}, ${this.dtype}) is symbolic: it belongs to a graph and has no values; ` +
        `fetch it with session.run(tensor, feedDict) or call the nb.function that produced it. ` +
        `(Eager Variable.assign* cannot take a graph tensor: inside graphs use nb.v1.Variable and its assign ops.)`,
    );
  }

  override dataSync(): TypedArray {
    return this.noValues();
  }

  override arraySync(): NestedArray {
    return this.noValues();
  }

  override item(): number {
    return this.noValues();
  }

  override toString(): string {
    return `<nb.SymbolicTensor '${this.name}' shape=${formatShape(this.shape)} dtype=${this.dtype}>`;
  }
}
