import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const tv = nb.keras.layers.textVectorization;

// Standardized ('lower_and_strip_punctuation'): 'the cat sat', 'the dog the cat', 'a bird'.
// Counts: the 3, cat 2, then a, bird, dog, sat 1 each (ties in lexicographic order).
const CORPUS = ['The cat sat.', 'the dog, the cat!', 'a bird'];
const INT_VOCAB = ['', '[UNK]', 'the', 'cat', 'a', 'bird', 'dog', 'sat'];

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
}

test('adapt orders the vocabulary by count, ties lexicographic, reserved tokens first; maxTokens caps it', () => {
  const layer = tv();
  layer.adapt(CORPUS);
  assert.deepEqual(layer.getVocabulary(), INT_VOCAB);
  assert.equal(layer.vocabularySize(), 8);
  const capped = tv({ maxTokens: 5 });
  capped.adapt(CORPUS);
  assert.deepEqual(capped.getVocabulary(), ['', '[UNK]', 'the', 'cat', 'a']);
  // The order of the texts does not change the vocabulary.
  const reversed = tv();
  reversed.adapt([...CORPUS].reverse());
  assert.deepEqual(reversed.getVocabulary(), INT_VOCAB);
});

test("'int' mode: indices, OOV = 1, padding with 0 to the longest text, one text gives rank 1", () => {
  const layer = tv();
  layer.adapt(CORPUS);
  // 'the dog sat' -> 2 6 7; 'Cat' -> 3 then padding; 'a fish' -> 4, OOV 1.
  const out = layer.apply(['the dog sat', 'Cat', 'a fish']);
  assert.equal(out.dtype, 'int32');
  assert.deepEqual(out.shape, [3, 3]);
  assert.deepEqual([...out.dataSync()], [2, 6, 7, 3, 0, 0, 4, 1, 0]);
  const one = layer.apply('bird the');
  assert.deepEqual(one.shape, [2]);
  assert.deepEqual([...one.dataSync()], [5, 2]);
});

test('outputSequenceLength pads with 0 and truncates', () => {
  const layer = tv({ outputSequenceLength: 2, vocabulary: INT_VOCAB });
  const out = layer.apply(['the dog sat', 'cat', '']);
  assert.deepEqual(out.shape, [3, 2]);
  assert.deepEqual([...out.dataSync()], [2, 6, 3, 0, 0, 0]);
});

test("'multiHot', 'count' and 'tfIdf' modes on hand-checked texts", () => {
  // Non-int vocabulary: ['[UNK]', 'the', 'cat', 'a', 'bird', 'dog', 'sat'] (no padding token).
  const multi = tv({ outputMode: 'multiHot' });
  multi.adapt(CORPUS);
  assert.deepEqual(multi.getVocabulary(), INT_VOCAB.slice(1));
  // 'the the fish': the (index 1) present, fish is OOV (index 0).
  assert.deepEqual([...multi.apply(['the the fish', 'sat']).dataSync()], [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);

  const count = tv({ outputMode: 'count' });
  count.adapt(CORPUS);
  assert.deepEqual([...count.apply('the the fish').dataSync()], [1, 2, 0, 0, 0, 0, 0]);

  // idf = ln(1 + 3 texts / (1 + texts holding the token)): the, cat in 2 texts -> ln 2 = 0.693147;
  // a, bird, dog, sat in 1 -> ln 2.5 = 0.916291; OOV = mean of the six = 0.841910.
  const tfidf = tv({ outputMode: 'tfIdf' });
  tfidf.adapt(CORPUS);
  close(tfidf.getIdfWeights()!, [0.84191, 0.693147, 0.693147, 0.916291, 0.916291, 0.916291, 0.916291]);
  // 'the the fish': OOV once (0.841910), the twice (2 x 0.693147 = 1.386294).
  close(tfidf.apply('the the fish').dataSync(), [0.84191, 1.386294, 0, 0, 0, 0, 0]);

  const padded = tv({ outputMode: 'multiHot', maxTokens: 10, padToMaxTokens: true });
  padded.adapt(CORPUS);
  assert.deepEqual(padded.apply(['cat']).shape, [1, 10]);
});

test("character split, 'lower' standardize, and ngrams", () => {
  // 'abca', 'b': a 2, b 2, c 1 -> ['', '[UNK]', 'a', 'b', 'c']; the space is out of vocabulary.
  const chars = tv({ split: 'character', standardize: 'lower' });
  chars.adapt(['abcA', 'b']);
  assert.deepEqual(chars.getVocabulary(), ['', '[UNK]', 'a', 'b', 'c']);
  assert.deepEqual([...chars.apply('cA b').dataSync()], [4, 2, 1, 3]);

  // 'a b a b' with ngrams 2: a 2, b 2, 'a b' 2, 'b a' 1; 'a' < 'a b' < 'b'.
  const bigrams = tv({ ngrams: 2 });
  bigrams.adapt(['a b a b']);
  assert.deepEqual(bigrams.getVocabulary(), ['', '[UNK]', 'a', 'a b', 'b', 'b a']);
  assert.deepEqual([...bigrams.apply('b a').dataSync()], [4, 2, 5]);
});

test('adapt reads an nb.data.Dataset of texts or [texts, labels] batches', async () => {
  const layer = tv();
  await layer.adapt(nb.data.Dataset.fromGenerator(() => [[CORPUS.slice(0, 2), nb.tensor([0, 1])], [CORPUS.slice(2), nb.tensor([1])]]));
  assert.deepEqual(layer.getVocabulary(), INT_VOCAB);
  const strings = tv();
  await strings.adapt(nb.data.Dataset.fromGenerator(() => CORPUS));
  assert.deepEqual(strings.getVocabulary(), INT_VOCAB);
});

test('getConfig/fromConfig round trip keeps the options and the vocabulary', () => {
  const layer = tv({ outputMode: 'tfIdf', maxTokens: 6, ngrams: [1, 2], name: 'tv_round' });
  layer.adapt(CORPUS);
  const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
  const copy = nb.keras.layers.TextVectorization.fromConfig(config);
  assert.equal(copy.name, 'tv_round');
  assert.deepEqual(copy.getVocabulary(), layer.getVocabulary());
  assert.deepEqual([...copy.apply(['the cat', 'dog']).dataSync()], [...layer.apply(['the cat', 'dog']).dataSync()]);
  const custom = tv({ standardize: (s) => s.toUpperCase(), vocabulary: ['A'] });
  assert.throws(() => nb.keras.layers.TextVectorization.fromConfig(custom.getConfig()), /standardize.*function.*pass it again/);
});

test('errors name the layer, what was expected and the fix', () => {
  assert.throws(() => tv({ maxTokens: 2 }), (e: Error) => e instanceof nb.InvalidArgumentError && /TextVectorization '.*'.*vocabulary of size 0.*must be an integer > 2/.test(e.message));
  assert.throws(() => tv({ maxTokens: 1, outputMode: 'count' }), /vocabulary of size 0/);
  assert.throws(() => tv().adapt([]), (e: Error) => e instanceof nb.InvalidArgumentError && /adapt got no texts.*vocabulary of size 0/.test(e.message));
  assert.throws(() => tv().adapt(['!!! ...']), /found no tokens in 1 text/);
  assert.throws(() => tv().adapt(['ok', 3 as unknown as string]), /entry 1 is number 3/);
  assert.throws(() => tv().apply(['x']), (e: Error) => e instanceof nb.FailedPreconditionError && /no vocabulary yet; call adapt/.test(e.message));
  const layer = tv({ vocabulary: ['x'] });
  assert.throws(() => layer.apply(nb.tensor([1, 2])), (e: Error) => e instanceof nb.InvalidArgumentError && /expected a string or an array of strings.*Tensor of shape \[2\]/.test(e.message));
  assert.throws(() => tv({ outputMode: 'tfIdf', vocabulary: ['x'] }), /needs idfWeights/);
  assert.throws(() => tv({ outputMode: 'count', outputSequenceLength: 3 }), /only applies to outputMode 'int'/);
  assert.throws(() => tv({ vocabulary: ['x', 'x'] }), /repeats "x"/);
});
