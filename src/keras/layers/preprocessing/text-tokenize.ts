// The string side of TextVectorization: standardizing, splitting and n-grams. Pure functions on
// JavaScript strings (nabla tensors have no string dtype).
import { InvalidArgumentError } from '../../../core/errors.js';

/** How text is standardized before splitting; a function is applied as is. */
export type TextStandardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);
/** How standardized text becomes tokens: on whitespace runs, into characters (code points), not at all, or by a function. */
export type TextSplit = 'whitespace' | 'character' | null | ((text: string) => string[]);

export const STANDARDIZE_MODES = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'] as const;
export const SPLIT_MODES = ['whitespace', 'character'] as const;

// The ASCII punctuation Keras strips: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** `text` standardized as `mode` says. */
export function standardizeText(text: string, mode: TextStandardize): string {
  if (mode === null) return text;
  if (typeof mode === 'function') return mode(text);
  const lowered = mode === 'strip_punctuation' ? text : text.toLowerCase();
  return mode === 'lower' ? lowered : lowered.replace(PUNCTUATION, '');
}

/** The tokens of (standardized) `text`: empty tokens are dropped for 'whitespace'. */
export function splitText(text: string, mode: TextSplit): string[] {
  if (mode === null) return [text];
  if (typeof mode === 'function') return mode(text);
  if (mode === 'character') return [...text];
  return text.split(/\s+/).filter((t) => t.length > 0);
}

/**
 * The n-grams of `tokens` for each n in `sizes` (joined with one space), in Keras's order: all
 * 1-grams, then all 2-grams, and so on.
 */
export function ngramsOf(tokens: string[], sizes: readonly number[]): string[] {
  if (sizes.length === 1 && sizes[0] === 1) return tokens;
  const out: string[] = [];
  for (const n of sizes) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}

/** The checked `ngrams` option as a list of sizes: null → [1], n → [1..n], [a, b] → [a, b]. */
export function checkNgrams(where: string, ngrams: unknown): number[] {
  if (ngrams === null || ngrams === undefined) return [1];
  if (Number.isInteger(ngrams) && (ngrams as number) >= 1) return Array.from({ length: ngrams as number }, (_, i) => i + 1);
  if (Array.isArray(ngrams) && ngrams.length > 0 && ngrams.every((n) => Number.isInteger(n) && n >= 1)) return [...(ngrams as number[])];
  throw new InvalidArgumentError(`${where}: ngrams must be null, an integer >= 1 (all n-grams up to it) or a non-empty array of integers >= 1, got ${JSON.stringify(ngrams)}.`);
}
