import * as nb from '../../index.js';

/** Shape of the char-rnn network. */
export interface CharRnnModelOptions {
  /** Vocabulary size (OOV included): embedding rows and output logits. */
  vocabSize: number;
  /** Embedding width (default 64). */
  embeddingDim?: number;
  /** Units of each LSTM (default 128). */
  units?: number;
  /** Stacked LSTM layers (default 1). */
  lstmLayers?: number;
}

/**
 * Embedding → LSTM (× `lstmLayers`, each returning sequences) → Dense over the vocabulary (logits),
 * compiled with Adam and sparse categorical cross-entropy from logits: it predicts the next
 * character at every position of a [batch, time] window of character ids.
 *
 * @example
 * ```ts
 * const model = buildCharRnn({vocabSize: 60, units: 64});
 * (model.predict(nb.zeros([1, 10], 'int32')) as nb.Tensor).shape; // [1, 10, 60]
 * ```
 */
export function buildCharRnn(options: CharRnnModelOptions, learningRate = 3e-3): nb.keras.Sequential {
  const L = nb.keras.layers;
  const units = options.units ?? 128;
  const layers: nb.keras.layers.Layer[] = [L.embedding({ inputDim: options.vocabSize, outputDim: options.embeddingDim ?? 64, name: 'embedding' })];
  for (let i = 0; i < (options.lstmLayers ?? 1); i++) layers.push(L.lstm({ units, returnSequences: true, name: `lstm_${i}` }));
  layers.push(L.dense({ units: options.vocabSize, name: 'logits' }));
  const model = nb.keras.sequential(layers, { name: 'char_rnn' });
  model.compile({
    optimizer: nb.keras.optimizers.adam({ learningRate, clipNorm: 5 }),
    loss: new nb.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
  });
  return model;
}

/**
 * Consecutive non-overlapping windows of `seqLength` ids as inputs, each with the same window
 * shifted by one character as targets: x [n, seqLength], y [n, seqLength] (int32).
 * Raises an InvalidArgumentError when `ids` is shorter than seqLength + 1.
 */
export function makeWindows(ids: Int32Array, seqLength: number, what = 'text'): { x: nb.Tensor; y: nb.Tensor } {
  const n = Math.floor((ids.length - 1) / seqLength);
  if (n < 1) {
    throw new nb.InvalidArgumentError(
      `char-rnn: the ${what} has ${ids.length} characters, but one training window needs seq-length + 1 = ${seqLength + 1}; use a longer text or a smaller --seq-length.`,
    );
  }
  const x = new Int32Array(n * seqLength);
  const y = new Int32Array(n * seqLength);
  for (let i = 0; i < n; i++) {
    x.set(ids.subarray(i * seqLength, (i + 1) * seqLength), i * seqLength);
    y.set(ids.subarray(i * seqLength + 1, (i + 1) * seqLength + 1), i * seqLength);
  }
  return { x: nb.tensor(x, [n, seqLength], 'int32'), y: nb.tensor(y, [n, seqLength], 'int32') };
}

/** Per-character cross-entropy of a text under a model, in the units people quote. */
export interface CharCrossEntropy {
  /** Mean negative log-likelihood per predicted character, natural log. */
  nats: number;
  /** The same in bits (nats / ln 2). */
  bits: number;
  /** exp(nats). */
  perplexity: number;
  /** Characters scored. */
  chars: number;
}

/**
 * Cross-entropy of the model's next-character predictions over `ids`, scored in windows of
 * `seqLength` (each window starts from a zero state, as in training).
 */
export function crossEntropy(model: nb.keras.Model, ids: Int32Array, seqLength: number, batchSize = 64): CharCrossEntropy {
  const { x, y } = makeWindows(ids, seqLength, 'held-out text');
  const { loss } = model.evaluate(x, y, { batchSize, verbose: 0 }) as { loss: number };
  return { nats: loss, bits: loss / Math.LN2, perplexity: Math.exp(loss), chars: x.size };
}
