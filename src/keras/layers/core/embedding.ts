import { InvalidArgumentError, ShapeError } from '../../../core/errors.js';
import type { Tensor } from '../../../core/tensor.js';
import type { Variable } from '../../../core/variable.js';
import * as ops from '../../../ops/index.js';
import { isBuildingGraph, runOp1, type OpDef } from '../../../ops/engine.js';
import { getConstraint, serializeConstraint, type ConstraintConfig } from '../../constraints.js';
import { getInitializer, randomUniform, serializeInitializer, type InitializerConfig } from '../../initializers.js';
import { getRegularizer, serializeRegularizer, type RegularizerConfig } from '../../regularizers.js';
import { Layer, type CallArgs, type Constraint, type Initializer, type LayerArgs, type Regularizer } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';
import { showShape } from './util.js';

interface CheckAttrs {
  layer: string;
  inputDim: number;
}

/**
 * Throws unless every index is an integer in [0, inputDim), naming the layer, the position and
 * the value. Keras casts other index dtypes; a fractional index is a mistake, not something to round.
 */
function checkIndices(indices: { values: ArrayLike<number>; shape: readonly number[]; dtype: string }, { layer, inputDim }: CheckAttrs): void {
  const v = indices.values;
  if (indices.dtype !== 'int32') {
    for (let i = 0; i < v.length; i++) {
      if (!Number.isInteger(v[i])) {
        throw new InvalidArgumentError(
          `Embedding '${layer}': inputs must be integer indices, got the ${indices.dtype} value ${v[i]}; pass an int32 tensor (nb.cast(x, 'int32')).`,
        );
      }
    }
  }
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    if (!(k >= 0 && k < inputDim)) {
      const pos: number[] = [];
      let rest = i;
      for (let d = indices.shape.length - 1; d >= 0; d--) {
        const size = indices.shape[d]!;
        pos.unshift(rest % size);
        rest = Math.floor(rest / size);
      }
      throw new InvalidArgumentError(
        `Embedding '${layer}': index ${k} at position [${pos.join(',')}] of the input is out of range; valid indices are 0..${inputDim - 1} (inputDim=${inputDim}).`,
      );
    }
  }
}

/** The index checks inside a graph: run when the graph runs; outputs the indices as int32. */
const checkIndicesOp: OpDef<CheckAttrs> = {
  name: 'embeddingCheckIndices',
  infer: ([x]) => [{ shape: x!.shape, dtype: 'int32' }],
  kernel([x], [out], attrs) {
    checkIndices(x!, attrs);
    out!.values.set(x!.values);
  },
  grad: 'nondifferentiable',
};

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices are in [0, inputDim). */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Default: randomUniform(-0.05, 0.05), as Keras's 'uniform'. */
  embeddingsInitializer?: string | Initializer | InitializerConfig;
  embeddingsRegularizer?: string | Regularizer | RegularizerConfig | null;
  activityRegularizer?: string | Regularizer | RegularizerConfig | null;
  embeddingsConstraint?: string | Constraint | ConstraintConfig | null;
  /** Length of the input sequences (constant), when known; sets the input shape if none is given. */
  inputLength?: number | readonly number[] | null;
}

/**
 * Turns integer indices into dense vectors: `[batch, ...]` int32 → `[batch, ..., outputDim]`,
 * row `i` of the `[inputDim, outputDim]` embeddings matrix for index `i`.
 *
 * @example
 * ```ts
 * const emb = nb.keras.layers.embedding({inputDim: 1000, outputDim: 64});
 * emb.apply(nb.tensor([[4, 20, 7]], [1, 3], 'int32')).shape; // [1, 3, 64]
 * ```
 */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  readonly inputLength: number[] | null;
  embeddings!: Variable;

  constructor(args: EmbeddingArgs) {
    const il = args.inputLength ?? null;
    const lengths = il === null ? null : Array.isArray(il) ? [...(il as number[])] : [il as number];
    const withShape = lengths !== null && !args.inputShape && !args.batchInputShape ? { ...args, inputShape: lengths } : args;
    super(withShape);
    for (const [what, v] of [['inputDim', args.inputDim], ['outputDim', args.outputDim]] as const) {
      if (!Number.isInteger(v) || v <= 0) {
        throw new InvalidArgumentError(`Embedding '${this.name}': ${what} must be a positive integer, got ${String(v)}.`);
      }
    }
    if (lengths !== null && lengths.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new InvalidArgumentError(`Embedding '${this.name}': inputLength must be a positive integer (or an array of them), got ${JSON.stringify(il)}.`);
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer, randomUniform({ minval: -0.05, maxval: 0.05 }), this.name);
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer, this.name);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, this.name);
    this.embeddingsConstraint = getConstraint(args.embeddingsConstraint, this.name);
    this.inputLength = lengths;
  }

  override build(_inputShape: SymbolicShape): void {
    this.embeddings = this.addWeight('embeddings', {
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    let x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const attrs = { layer: this.name, inputDim: this.inputDim };
    if (isBuildingGraph()) {
      // Traced (nb.function, Keras's traced steps): the indices have values only when the graph runs.
      x = runOp1(checkIndicesOp, [x], attrs);
    } else {
      checkIndices(x, attrs);
      if (x.dtype !== 'int32') x = ops.cast(x, 'int32');
    }
    const y = ops.gather(this.embeddings, x);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(y));
    return y;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (this.inputLength === null) return [...inputShape, this.outputDim];
    const rest = inputShape.slice(1);
    if (rest.length !== this.inputLength.length || rest.some((d, i) => d !== null && d !== this.inputLength![i])) {
      throw new ShapeError(
        `Embedding '${this.name}': inputLength is ${JSON.stringify(this.inputLength)} but received an input of shape ${showShape(inputShape)}.`,
      );
    }
    return [inputShape[0] ?? null, ...this.inputLength, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      embeddingsConstraint: serializeConstraint(this.embeddingsConstraint),
      inputLength: this.inputLength === null ? null : this.inputLength.length === 1 ? this.inputLength[0]! : [...this.inputLength],
    };
  }

  static fromConfig(config: Record<string, unknown>): Embedding {
    return new Embedding(config as unknown as EmbeddingArgs);
  }
}
registerLayer(Embedding);

/**
 * Creates an Embedding layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.embedding({inputDim: 10000, outputDim: 128, inputLength: 50});
 * ```
 */
export function embedding(args: EmbeddingArgs): Embedding {
  return new Embedding(args);
}
