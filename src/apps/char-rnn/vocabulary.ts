import * as nb from '../../index.js';

/** The serialised form of a {@link CharVocabulary} (`vocab.json` in a char-rnn run folder). */
export interface CharVocabularyJSON {
  format: 'nabla-char-vocabulary';
  version: 1;
  /** Index 0 is the OOV slot; index i > 0 is `chars[i - 1]`. */
  chars: string[];
}

/**
 * The characters of a text, one index each, in a deterministic order (sorted by code point) with
 * index 0 reserved for characters outside the vocabulary (OOV). Characters are Unicode code
 * points, so an emoji or an accented letter is one character.
 *
 * @example
 * ```ts
 * const vocab = CharVocabulary.fromText('hello');
 * vocab.size;                       // 5: OOV, e, h, l, o
 * vocab.decode(vocab.encode('hole')); // 'hole'
 * vocab.encode('x');                // [0] (OOV)
 * ```
 */
export class CharVocabulary {
  /** The index of characters that are not in the vocabulary. */
  static readonly OOV = 0;
  /** What {@link decode} writes for the OOV index. */
  static readonly OOV_CHAR = '\uFFFD';
  private readonly index = new Map<string, number>();

  /** `chars` must be distinct single code points; index i + 1 is `chars[i]`. */
  constructor(readonly chars: readonly string[]) {
    chars.forEach((c, i) => {
      if ([...c].length !== 1) {
        throw new nb.InvalidArgumentError(`CharVocabulary: every entry must be one character (code point), got ${JSON.stringify(c)} at position ${i}.`);
      }
      if (this.index.has(c)) {
        throw new nb.InvalidArgumentError(`CharVocabulary: character ${JSON.stringify(c)} appears twice (positions ${this.index.get(c)! - 1} and ${i}); entries must be distinct.`);
      }
      this.index.set(c, i + 1);
    });
  }

  /** The distinct characters of `text`, sorted by code point. */
  static fromText(text: string): CharVocabulary {
    const set = new Set(text);
    return new CharVocabulary([...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  /** Number of indices, the OOV slot included (the size of the model's output layer). */
  get size(): number {
    return this.chars.length + 1;
  }

  /** Whether `ch` has its own index. */
  has(ch: string): boolean {
    return this.index.has(ch);
  }

  /** The index of each character of `text` (OOV for unknown ones). */
  encode(text: string): Int32Array {
    const chars = [...text];
    const out = new Int32Array(chars.length);
    for (let i = 0; i < chars.length; i++) out[i] = this.index.get(chars[i]!) ?? CharVocabulary.OOV;
    return out;
  }

  /** The characters of `ids`; OOV (and out-of-range ids) become U+FFFD. */
  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      s += id >= 1 && id <= this.chars.length ? this.chars[id - 1]! : CharVocabulary.OOV_CHAR;
    }
    return s;
  }

  /** The distinct characters of `text` that are not in the vocabulary, in order of appearance. */
  unknownChars(text: string): string[] {
    return [...new Set([...text].filter((c) => !this.index.has(c)))];
  }

  toJSON(): CharVocabularyJSON {
    return { format: 'nabla-char-vocabulary', version: 1, chars: [...this.chars] };
  }

  /** Reads what {@link toJSON} wrote; a wrong object raises an InvalidArgumentError. */
  static fromJSON(json: unknown): CharVocabulary {
    const j = json as Partial<CharVocabularyJSON> | null;
    if (!j || typeof j !== 'object' || j.format !== 'nabla-char-vocabulary' || !Array.isArray(j.chars) || !j.chars.every((c) => typeof c === 'string')) {
      throw new nb.InvalidArgumentError(
        `CharVocabulary.fromJSON: expected {format: 'nabla-char-vocabulary', version: 1, chars: string[]} (a vocab.json written by 'nabla train char-rnn'), got ${JSON.stringify(json)?.slice(0, 80)}.`,
      );
    }
    return new CharVocabulary(j.chars);
  }
}
