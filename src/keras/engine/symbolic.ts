import type { DType } from '../../core/dtype.js';
import type { Layer } from './layer.js';

/** A shape whose dims may be unknown (null), typically the batch dimension. */
export type SymbolicShape = readonly (number | null)[];

/** One application of a layer to symbolic inputs: an edge set of the functional graph. */
export class Node {
  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    readonly outputs: readonly SymbolicTensor[],
    readonly callArgs: Readonly<Record<string, unknown>>,
    /** Whether the layer was called on a list (merge layers) rather than one tensor. */
    readonly inputIsList = false,
  ) {}
}

/**
 * The output of a layer applied to `nb.keras.input(...)`: it carries a shape (batch dim null) and a
 * dtype but no values, and remembers which layer made it, so `nb.keras.model({inputs, outputs})`
 * can trace the graph.
 *
 * @example
 * ```ts
 * const x = nb.keras.input({shape: [784]});
 * const h = nb.keras.layers.dense({units: 64}).apply(x); // SymbolicTensor, shape [null, 64]
 * ```
 */
export class SymbolicTensor {
  /** Set once the node that produces it exists. */
  node!: Node;

  constructor(
    readonly shape: SymbolicShape,
    readonly dtype: DType,
    readonly name: string,
    readonly outputIndex: number,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** The layer that produced this tensor. */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  toString(): string {
    return `<KerasTensor shape=(${this.shape.map((d) => (d === null ? 'None' : d)).join(', ')}${this.shape.length === 1 ? ',' : ''}), dtype=${this.dtype}, name=${this.name}>`;
  }
}

export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  return x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor));
}
