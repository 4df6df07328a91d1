import { FailedPreconditionError, InvalidArgumentError } from '../../../core/errors.js';
import { Tensor } from '../../../core/tensor.js';
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape, SymbolicTensor } from '../../engine/symbolic.js';
import {
  checkNgrams,
  ngramsOf,
  splitText,
  SPLIT_MODES,
  standardizeText,
  STANDARDIZE_MODES,
  type TextSplit,
  type TextStandardize,
} from './text-tokenize.js';

/** What TextVectorization outputs: token indices, or one vector per text over the vocabulary. */
export type TextOutputMode = 'int' | 'multiHot' | 'count' | 'tfIdf';
const OUTPUT_MODES: readonly TextOutputMode[] = ['int', 'multiHot', 'count', 'tfIdf'];

/** The padding token (index 0, 'int' mode only) and the out-of-vocabulary token. */
export const PAD_TOKEN = '';
export const OOV_TOKEN = '[UNK]';

export interface TextVectorizationArgs extends LayerArgs {
  /** Cap on the vocabulary size, reserved tokens included (default: no cap). */
  maxTokens?: number | null;
  /** Default 'lower_and_strip_punctuation' (lower case, ASCII punctuation removed). */
  standardize?: TextStandardize;
  /** Default 'whitespace'; 'character' tokenizes into characters (code points, spaces included). */
  split?: TextSplit;
  /** null (default): tokens alone; n: all 1..n-grams; [a, b, ...]: those sizes (joined with ' '). */
  ngrams?: number | readonly number[] | null;
  /** Default 'int'. */
  outputMode?: TextOutputMode;
  /** 'int' mode: pad with 0 or truncate every sequence to this length (default: the longest in the batch). */
  outputSequenceLength?: number | null;
  /** A preset vocabulary (tokens, without or with the reserved ones at the front); no adapt needed. */
  vocabulary?: readonly string[] | null;
  /** 'tfIdf' mode with a preset vocabulary: the idf weight of each vocabulary entry (same layout as getVocabulary()). */
  idfWeights?: readonly number[] | null;
  /** Non-int modes: output vectors of length maxTokens even when the vocabulary is smaller. */
  padToMaxTokens?: boolean;
}

/** Something `adapt` can read texts from: an array, or a Dataset (an async iterable) of texts. */
export type TextSource = readonly string[] | AsyncIterable<unknown>;

/**
 * Turns text into tensors, as Keras's `TextVectorization`. nabla tensors have no string dtype, so
 * the layer is applied to JavaScript strings — one text (`string`) or a batch (`string[]`) — and
 * returns a Tensor; use it in the data pipeline (`ds.map(([x, y]) => [tv.apply(x), y])`) in front
 * of a model that starts at the token indices.
 *
 * - `adapt(texts)` builds the vocabulary: tokens by descending count, ties in lexicographic
 *   (code unit) order so the result does not depend on the order of the data; layout as Keras:
 *   'int' mode `['', '[UNK]', ...tokens]` (0 pads, 1 is out-of-vocabulary), other modes
 *   `['[UNK]', ...tokens]`, cut so the size is at most `maxTokens`.
 * - 'int' gives int32 `[batch, length]` indices ([length] for one text); 'multiHot' float32
 *   `[batch, vocabSize]` 1/0 presence, 'count' the counts, 'tfIdf' counts times the idf weight
 *   `log(1 + numTexts / (1 + textsHoldingToken))` computed at adapt (the OOV weight is the mean
 *   of the others, as Keras does).
 *
 * @example
 * ```ts
 * const tv = nb.keras.layers.textVectorization({maxTokens: 1000, outputSequenceLength: 4});
 * tv.adapt(['the cat sat', 'the dog']);
 * tv.getVocabulary();          // ['', '[UNK]', 'the', 'cat', 'dog', 'sat']
 * tv.apply(['The dog sat!']);  // int32 [[2, 4, 5, 0]]
 * ```
 */
export class TextVectorization extends Layer {
  static override readonly className = 'TextVectorization';
  readonly maxTokens: number | null;
  readonly standardize: TextStandardize;
  readonly split: TextSplit;
  readonly ngrams: number[];
  readonly outputMode: TextOutputMode;
  readonly outputSequenceLength: number | null;
  readonly padToMaxTokens: boolean;
  private readonly ngramsArg: number | number[] | null;
  private vocab: string[] | null = null;
  private index = new Map<string, number>();
  private idf: Float32Array | null = null;

  constructor(args: TextVectorizationArgs = {}) {
    super({ ...args, dtype: args.dtype ?? (args.outputMode === undefined || args.outputMode === 'int' ? 'int32' : 'float32') });
    const where = this.where;
    this.outputMode = args.outputMode ?? 'int';
    if (!OUTPUT_MODES.includes(this.outputMode)) {
      throw new InvalidArgumentError(`${where}: outputMode must be one of ${OUTPUT_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(args.outputMode)}.`);
    }
    const maxTokens = args.maxTokens ?? null;
    if (maxTokens !== null && (!Number.isInteger(maxTokens) || maxTokens <= this.reserved.length)) {
      throw new InvalidArgumentError(
        `${where}: maxTokens ${String(maxTokens)} leaves a vocabulary of size 0: it counts the ${this.reserved.length} reserved token(s) ${this.reserved.map((t) => JSON.stringify(t)).join(', ')} of '${this.outputMode}' mode, so it must be an integer > ${this.reserved.length}; raise it or leave it null for no cap.`,
      );
    }
    this.maxTokens = maxTokens;
    this.standardize = args.standardize === undefined ? 'lower_and_strip_punctuation' : args.standardize;
    if (this.standardize !== null && typeof this.standardize !== 'function' && !(STANDARDIZE_MODES as readonly unknown[]).includes(this.standardize)) {
      throw new InvalidArgumentError(`${where}: standardize must be ${STANDARDIZE_MODES.map((m) => `'${m}'`).join(', ')}, null or a function, got ${JSON.stringify(this.standardize)}.`);
    }
    this.split = args.split === undefined ? 'whitespace' : args.split;
    if (this.split !== null && typeof this.split !== 'function' && !(SPLIT_MODES as readonly unknown[]).includes(this.split)) {
      throw new InvalidArgumentError(`${where}: split must be 'whitespace', 'character', null or a function, got ${JSON.stringify(this.split)}.`);
    }
    this.ngramsArg = args.ngrams === undefined || args.ngrams === null ? null : typeof args.ngrams === 'number' ? args.ngrams : [...args.ngrams];
    this.ngrams = checkNgrams(where, this.ngramsArg);
    const len = args.outputSequenceLength ?? null;
    if (len !== null && (!Number.isInteger(len) || len < 1)) {
      throw new InvalidArgumentError(`${where}: outputSequenceLength must be a positive integer or null, got ${String(len)}.`);
    }
    if (len !== null && this.outputMode !== 'int') {
      throw new InvalidArgumentError(`${where}: outputSequenceLength only applies to outputMode 'int' (got outputMode '${this.outputMode}'); drop it.`);
    }
    this.outputSequenceLength = len;
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    if (this.padToMaxTokens && (this.outputMode === 'int' || maxTokens === null)) {
      throw new InvalidArgumentError(`${where}: padToMaxTokens needs a non-int outputMode and maxTokens; got outputMode '${this.outputMode}', maxTokens ${String(maxTokens)}.`);
    }
    if (args.vocabulary) this.setVocabulary(args.vocabulary, args.idfWeights ?? null);
    else if (args.idfWeights) throw new InvalidArgumentError(`${where}: idfWeights were given without a vocabulary; pass both, or call adapt().`);
  }

  /** `TextVectorization 'name'`, for error messages. */
  private get where(): string {
    return `TextVectorization '${this.name}'`;
  }

  /** The reserved tokens at the front of the vocabulary in this output mode. */
  private get reserved(): string[] {
    return this.outputMode === 'int' ? [PAD_TOKEN, OOV_TOKEN] : [OOV_TOKEN];
  }

  /** The tokens (n-grams included) of one text, after standardizing and splitting. */
  tokenize(text: string): string[] {
    return ngramsOf(splitText(standardizeText(text, this.standardize), this.split), this.ngrams);
  }

  /**
   * Builds the vocabulary (and, in 'tfIdf' mode, the idf weights) from texts: an array of
   * strings, or a Dataset whose elements are strings, string arrays (batches) or tuples/records
   * whose first entry (or `x`) is one of those. Replaces any earlier vocabulary. Sync for an
   * array, a Promise for a Dataset.
   */
  adapt(data: readonly string[]): void;
  adapt(data: AsyncIterable<unknown>): Promise<void>;
  adapt(data: TextSource): void | Promise<void> {
    if (Array.isArray(data)) return this.adaptTexts(this.checkTexts(data, 'adapt'));
    if (data !== null && typeof data === 'object' && Symbol.asyncIterator in data) {
      return (async () => {
        const texts: string[] = [];
        for await (const el of data as AsyncIterable<unknown>) texts.push(...this.textsOfElement(el));
        this.adaptTexts(texts);
      })();
    }
    throw new InvalidArgumentError(`${this.where}: adapt expects an array of strings or an nb.data.Dataset of strings, got ${describe(data)}.`);
  }

  private textsOfElement(el: unknown): string[] {
    if (typeof el === 'string') return [el];
    if (Array.isArray(el) && el.every((t) => typeof t === 'string')) return el as string[];
    if (Array.isArray(el) && el.length > 0) return this.textsOfElement(el[0]);
    if (el !== null && typeof el === 'object' && 'x' in el) return this.textsOfElement((el as { x: unknown }).x);
    throw new InvalidArgumentError(
      `${this.where}: adapt reads dataset elements that are strings, string arrays, or [texts, labels] tuples / {x: texts} records, got ${describe(el)}; map the dataset to its texts first.`,
    );
  }

  private adaptTexts(texts: readonly string[]): void {
    if (texts.length === 0) {
      throw new InvalidArgumentError(`${this.where}: adapt got no texts, which gives a vocabulary of size 0; expected at least one non-empty text; pass the training texts.`);
    }
    const counts = new Map<string, number>();
    const docFreq = new Map<string, number>();
    const reserved = new Set(this.reserved);
    for (const text of texts) {
      const seen = new Set<string>();
      for (const tok of this.tokenize(text)) {
        if (reserved.has(tok)) continue;
        counts.set(tok, (counts.get(tok) ?? 0) + 1);
        seen.add(tok);
      }
      for (const tok of seen) docFreq.set(tok, (docFreq.get(tok) ?? 0) + 1);
    }
    if (counts.size === 0) {
      throw new InvalidArgumentError(
        `${this.where}: adapt found no tokens in ${texts.length} text(s), which gives a vocabulary of size 0; expected texts with at least one token after standardize '${String(this.standardize)}' and split '${String(this.split)}'; check the data or those options.`,
      );
    }
    const room = this.maxTokens === null ? Infinity : this.maxTokens - this.reserved.length;
    const tokens = [...counts.keys()]
      .sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, room);
    let idf: number[] | null = null;
    if (this.outputMode === 'tfIdf') {
      const weights = tokens.map((t) => Math.log(1 + texts.length / (1 + docFreq.get(t)!)));
      const oov = weights.reduce((s, w) => s + w, 0) / weights.length;
      idf = [oov, ...weights];
    }
    this.install([...this.reserved, ...tokens], idf);
  }

  /**
   * Sets the vocabulary directly (Keras's `set_vocabulary`): tokens, with or without the reserved
   * ones at the front; 'tfIdf' mode also needs one idf weight per entry of the full vocabulary.
   */
  setVocabulary(vocabulary: readonly string[], idfWeights: readonly number[] | null = null): void {
    const where = this.where;
    this.checkTexts(vocabulary, 'setVocabulary');
    const reserved = this.reserved;
    const hasReserved = reserved.every((t, i) => vocabulary[i] === t);
    const tokens = hasReserved ? vocabulary.slice(reserved.length) : [...vocabulary];
    const full = [...reserved, ...tokens];
    if (tokens.length === 0) {
      throw new InvalidArgumentError(`${where}: the vocabulary holds no tokens besides the reserved ones, a vocabulary of size 0; pass at least one token.`);
    }
    if (new Set(full).size !== full.length) {
      const dup = full.find((t, i) => full.indexOf(t) !== i);
      throw new InvalidArgumentError(`${where}: the vocabulary repeats ${JSON.stringify(dup)} (reserved tokens included: ${reserved.map((t) => JSON.stringify(t)).join(', ')}); every entry must be unique.`);
    }
    if (this.maxTokens !== null && full.length > this.maxTokens) {
      throw new InvalidArgumentError(`${where}: the vocabulary has ${full.length} entries (reserved included) but maxTokens is ${this.maxTokens}; shorten it or raise maxTokens.`);
    }
    let idf: number[] | null = null;
    if (this.outputMode === 'tfIdf') {
      if (!idfWeights) throw new InvalidArgumentError(`${where}: outputMode 'tfIdf' with a preset vocabulary needs idfWeights (one per vocabulary entry, '[UNK]' first); pass them or call adapt().`);
      const w = hasReserved || idfWeights.length === full.length ? [...idfWeights] : null;
      if (!w || w.length !== full.length || !w.every(Number.isFinite)) {
        throw new InvalidArgumentError(`${where}: expected ${full.length} finite idfWeights (one per entry of ${JSON.stringify(full.slice(0, 3))}...), got ${idfWeights.length}.`);
      }
      idf = w;
    } else if (idfWeights) {
      throw new InvalidArgumentError(`${where}: idfWeights only apply to outputMode 'tfIdf' (this layer is '${this.outputMode}'); drop them.`);
    }
    this.install(full, idf);
  }

  private install(vocab: string[], idf: number[] | null): void {
    this.vocab = vocab;
    this.index = new Map(vocab.map((t, i) => [t, i]));
    this.idf = idf ? Float32Array.from(idf) : null;
  }

  /** The vocabulary, reserved tokens first (a copy). Empty before adapt. */
  getVocabulary(): string[] {
    return this.vocab ? [...this.vocab] : [];
  }

  /** Size of the vocabulary, reserved tokens included (0 before adapt). */
  vocabularySize(): number {
    return this.vocab?.length ?? 0;
  }

  /** The idf weight of each vocabulary entry ('tfIdf' mode), or null. */
  getIdfWeights(): number[] | null {
    return this.idf ? [...this.idf] : null;
  }

  private checkTexts(texts: readonly unknown[], what: string): string[] {
    const bad = texts.findIndex((t) => typeof t !== 'string');
    if (bad >= 0) {
      throw new InvalidArgumentError(`${this.where}: ${what} expects strings, but entry ${bad} is ${describe(texts[bad])}; convert it with String() or drop it.`);
    }
    return texts as string[];
  }

  /**
   * Vectorizes one text (`string`: a result without the batch dimension) or a batch
   * (`string[]`). Tensors are refused: they cannot hold strings.
   */
  override apply(inputs: string | readonly string[], args?: CallArgs): Tensor;
  override apply(inputs: Tensor, args?: CallArgs): Tensor;
  override apply(inputs: Tensor[], args?: CallArgs): LayerOutput;
  override apply(inputs: LayerInput, args?: CallArgs): LayerOutput;
  override apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor;
  override apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: LayerInput | SymbolicTensor | SymbolicTensor[], args?: CallArgs): LayerOutput | SymbolicTensor | SymbolicTensor[];
  override apply(inputs: unknown, _args: CallArgs = {}): unknown {
    if (typeof inputs === 'string') {
      const out = this.vectorize([inputs]);
      return new Tensor(out.shape.slice(1), out.dtype, out.values);
    }
    if (Array.isArray(inputs) && inputs.every((t) => typeof t === 'string')) return this.vectorize(inputs as string[]);
    throw new InvalidArgumentError(
      `${this.where}: expected a string or an array of strings (nabla tensors have no string dtype), got ${describe(inputs)}; apply the layer to the raw texts, e.g. in the data pipeline: ds.map(([x, y]) => [layer.apply(x), y]).`,
    );
  }

  override call(inputs: unknown, args: CallArgs = {}): Tensor {
    return this.apply(inputs as string[], args);
  }

  private vectorize(texts: string[]): Tensor {
    const vocab = this.vocab;
    if (!vocab) {
      throw new FailedPreconditionError(`${this.where}: no vocabulary yet; call adapt(texts) first or pass the vocabulary option.`);
    }
    const rows = texts.map((t) => this.tokenize(t).map((tok) => this.index.get(tok) ?? this.index.get(OOV_TOKEN)!));
    if (this.outputMode === 'int') {
      const len = this.outputSequenceLength ?? rows.reduce((m, r) => Math.max(m, r.length), 0);
      const values = new Int32Array(rows.length * len);
      rows.forEach((r, b) => values.set(r.length > len ? r.slice(0, len) : r, b * len));
      return new Tensor([rows.length, len], 'int32', values);
    }
    const depth = this.padToMaxTokens ? this.maxTokens! : vocab.length;
    const values = new Float32Array(rows.length * depth);
    rows.forEach((r, b) => {
      for (const i of r) values[b * depth + i] = this.outputMode === 'multiHot' ? 1 : values[b * depth + i]! + 1;
    });
    if (this.outputMode === 'tfIdf') {
      for (let i = 0; i < values.length; i++) values[i] = values[i]! * this.idf![i % depth]!;
    }
    return new Tensor([rows.length, depth], 'float32', values);
  }

  override computeOutputShape(_inputShape: SymbolicShape): SymbolicShape {
    if (this.outputMode === 'int') return [null, this.outputSequenceLength];
    return [null, this.padToMaxTokens ? this.maxTokens : this.vocabularySize()];
  }

  /** The options and the vocabulary (and idf weights); a standardize or split function is recorded as 'custom'. */
  override getConfig(): Record<string, unknown> {
    const fn = (v: unknown) => (typeof v === 'function' ? 'custom' : v);
    return {
      ...super.getConfig(),
      maxTokens: this.maxTokens,
      standardize: fn(this.standardize),
      split: fn(this.split),
      ngrams: this.ngramsArg,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: this.padToMaxTokens,
      vocabulary: this.vocab ? this.vocab.slice(this.reserved.length) : null,
      idfWeights: this.idf ? [...this.idf] : null,
    };
  }

  /** Rebuilds a layer from getConfig(); a 'custom' standardize/split must be passed again in the config. */
  static fromConfig(config: Record<string, unknown>): TextVectorization {
    for (const key of ['standardize', 'split']) {
      if (config[key] === 'custom') {
        throw new InvalidArgumentError(`TextVectorization.fromConfig: '${key}' was a function, which a config cannot hold; pass it again: fromConfig({...config, ${key}: myFunction}).`);
      }
    }
    return new TextVectorization(config as TextVectorizationArgs);
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x instanceof Tensor) return `a Tensor of shape [${x.shape.join(', ')}]`;
  if (Array.isArray(x)) return `an array holding ${x.length === 0 ? 'nothing' : describe(x.find((v) => typeof v !== 'string') ?? x[0])}`;
  return typeof x === 'object' ? `a ${(x as object).constructor?.name ?? 'object'}` : `${typeof x} ${JSON.stringify(x)}`;
}

registerLayer(TextVectorization);

/**
 * Creates a {@link TextVectorization} layer.
 *
 * @example
 * ```ts
 * const tv = nb.keras.layers.textVectorization({outputMode: 'multiHot'});
 * tv.adapt(['a b', 'b c']);
 * tv.apply('c c x'); // float32 [0... ] over ['[UNK]', 'b', 'a', 'c']: [1, 0, 0, 1]
 * ```
 */
export function textVectorization(args: TextVectorizationArgs = {}): TextVectorization {
  return new TextVectorization(args);
}
