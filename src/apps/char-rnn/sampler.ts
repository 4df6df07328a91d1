import * as nb from '../../index.js';
import { CharVocabulary } from './vocabulary.js';

/** Options of {@link CharSampler.generate}. */
export interface GenerateOptions {
  /** Text the generation continues (at least one character). */
  prompt: string;
  /** Characters to generate after the prompt (default 300). */
  length?: number;
  /** Softmax temperature, > 0 (default 0.8): lower is more conservative, higher more random. */
  temperature?: number;
  /** Seed of the sampling (default 0): the same seed, model and prompt give the same text. */
  seed?: number;
}

/**
 * Generates text from a trained char-rnn model one character at a time, carrying the LSTM states
 * from step to step (each step runs one timestep, not the whole window again). It shares the
 * trained embedding and output layers and copies the LSTM weights into twin layers that return
 * their states.
 *
 * Prompt characters outside the vocabulary are fed as the OOV index; see
 * {@link CharVocabulary.unknownChars} to warn about them.
 *
 * @example
 * ```ts
 * const sampler = new CharSampler(model, vocab);
 * const text = sampler.generate({prompt: 'The ', length: 100, temperature: 0.8, seed: 1});
 * ```
 */
export class CharSampler {
  private readonly embedding: nb.keras.layers.Layer;
  private readonly output: nb.keras.layers.Layer;
  private readonly cells: nb.keras.layers.Layer[];

  constructor(model: nb.keras.Model, readonly vocab: CharVocabulary) {
    const layers = model.layers;
    const lstms = layers.filter((l) => l.getClassName() === 'LSTM');
    const first = layers[0];
    const last = layers[layers.length - 1];
    if (!first || first.getClassName() !== 'Embedding' || !last || last.getClassName() !== 'Dense' || lstms.length === 0 || layers.length !== lstms.length + 2) {
      throw new nb.InvalidArgumentError(
        `char-rnn: the model's layers are [${layers.map((l) => l.getClassName()).join(', ')}], expected [Embedding, LSTM..., Dense] as 'nabla train char-rnn' saves it.`,
      );
    }
    const outUnits = (last.getConfig() as { units: number }).units;
    if (outUnits !== vocab.size) {
      throw new nb.ShapeError(`char-rnn: the model predicts ${outUnits} classes but the vocabulary has ${vocab.size} entries; use the vocab.json saved with this model.`);
    }
    this.embedding = first;
    this.output = last;
    this.cells = lstms.map((l) => {
      const units = (l.getConfig() as { units: number }).units;
      const twin = nb.keras.layers.lstm({ units, returnState: true });
      const inputDim = l.getWeights()[0]!.shape[0]!;
      twin.apply(nb.zeros([1, 1, inputDim]));
      twin.setWeights(l.getWeights());
      return twin;
    });
  }

  /**
   * Runs `ids` ([1, T]) through the network from `states`; returns the last logits and the new
   * states. T > 1 only with one LSTM (a stacked layer would see only the last output below it).
   */
  private step(ids: Int32Array, states: nb.Tensor[][] | null): { logits: Float32Array; states: nb.Tensor[][] } {
    let h = this.embedding.apply(nb.tensor(ids, [1, ids.length], 'int32')) as nb.Tensor;
    const next: nb.Tensor[][] = [];
    this.cells.forEach((cell, i) => {
      const args = states ? { initialState: states[i]! } : {};
      const [out, hState, cState] = cell.apply(h, args) as unknown as nb.Tensor[];
      next.push([hState!, cState!]);
      h = i < this.cells.length - 1 ? nb.expandDims(out!, 1) : out!;
    });
    const logits = this.output.apply(h) as nb.Tensor;
    return { logits: logits.dataSync() as Float32Array, states: next };
  }

  /** The prompt followed by `length` generated characters. */
  generate(options: GenerateOptions): string {
    const length = options.length ?? 300;
    const temperature = options.temperature ?? 0.8;
    if (!(temperature > 0) || !Number.isFinite(temperature)) {
      throw new nb.InvalidArgumentError(`char-rnn: temperature must be a number > 0, got ${temperature}; use e.g. 0.5 (conservative) to 1.0 (raw model).`);
    }
    if (!Number.isInteger(length) || length < 0) throw new nb.InvalidArgumentError(`char-rnn: length must be an integer >= 0, got ${length}.`);
    if (options.prompt.length === 0) throw new nb.InvalidArgumentError('char-rnn: the prompt is empty; give at least one character to start from.');
    nb.setSeed(options.seed ?? 0);
    const uniforms = length > 0 ? (nb.randomUniform([length]).dataSync() as Float32Array) : new Float32Array(0);
    const promptIds = this.vocab.encode(options.prompt);
    let { logits, states } = this.stepPrompt(promptIds);
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const id = sampleLogits(logits, temperature, uniforms[i]!);
      out[i] = id;
      ({ logits, states } = this.step(Int32Array.of(id), states));
    }
    return options.prompt + this.vocab.decode(out);
  }

  /**
   * The logits of the character after `prompt` (OOV for unknown characters), computed the way
   * {@link generate} does, step by step with carried states.
   */
  logitsAfter(prompt: string): Float32Array {
    if (prompt.length === 0) throw new nb.InvalidArgumentError('char-rnn: the prompt is empty; give at least one character to start from.');
    return this.stepPrompt(this.vocab.encode(prompt)).logits;
  }

  /** Feeds the prompt: all of it at once through a single LSTM, one character at a time through a stack. */
  private stepPrompt(ids: Int32Array): { logits: Float32Array; states: nb.Tensor[][] } {
    if (this.cells.length === 1) return this.step(ids, null);
    let r = this.step(ids.subarray(0, 1), null);
    for (let i = 1; i < ids.length; i++) r = this.step(ids.subarray(i, i + 1), r.states);
    return r;
  }
}

/**
 * Draws an index from softmax(logits / temperature) with the uniform number `u` in [0, 1).
 * The OOV index 0 is never drawn.
 */
export function sampleLogits(logits: ArrayLike<number>, temperature: number, u: number): number {
  let max = -Infinity;
  for (let i = 1; i < logits.length; i++) max = Math.max(max, logits[i]! / temperature);
  const p = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 1; i < logits.length; i++) sum += p[i] = Math.exp(logits[i]! / temperature - max);
  let acc = 0;
  const target = u * sum;
  for (let i = 1; i < logits.length; i++) {
    acc += p[i]!;
    if (target < acc) return i;
  }
  return logits.length - 1;
}
