import * as nb from '../../index.js';

export interface TextClassifierShape {
  /** Vocabulary size of the TextVectorization layer (Embedding inputDim). */
  vocabularySize: number;
  /** Token sequence length (Embedding inputLength). */
  sequenceLength: number;
  classes: number;
  /** Embedding size (default 32). */
  embeddingDim?: number;
  /** GRU units per direction (default 16). */
  units?: number;
}

/**
 * Embedding → Bidirectional(GRU) → Dense softmax over token indices [batch, sequenceLength].
 * A GRU has three gates against the LSTM's four: fewer weights and less work per step on a small
 * CPU. Index 0 (padding) is embedded like any token, since nabla's Embedding has no mask yet.
 *
 * @example
 * ```ts
 * const model = buildTextClassifier({vocabularySize: 5000, sequenceLength: 64, classes: 3});
 * ```
 */
export function buildTextClassifier(shape: TextClassifierShape): nb.keras.Sequential {
  const model = nb.keras.sequential([
    nb.keras.layers.embedding({ inputDim: shape.vocabularySize, outputDim: shape.embeddingDim ?? 32, inputLength: shape.sequenceLength }),
    nb.keras.layers.bidirectional({ layer: nb.keras.layers.gru({ units: shape.units ?? 16 }) }),
    nb.keras.layers.dense({ units: shape.classes, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: nb.keras.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
