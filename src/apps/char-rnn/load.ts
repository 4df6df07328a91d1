import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as nb from '../../index.js';
import { CharVocabulary } from './vocabulary.js';

/** A trained char-rnn model with its vocabulary. */
export interface CharRnnBundle {
  model: nb.keras.Model;
  vocab: CharVocabulary;
  modelPath: string;
  vocabPath: string;
}

/**
 * Loads what `nabla train char-rnn` saved: `path` is the run folder (holding model.nabla and
 * vocab.json) or the model.nabla file itself (vocab.json next to it). Missing files raise a
 * NotFoundError naming what was looked for.
 *
 * @example
 * ```ts
 * const {model, vocab} = loadCharRnn('runs/char-rnn-2026-01-02T03-04-05');
 * ```
 */
export function loadCharRnn(path: string): CharRnnBundle {
  if (!existsSync(path)) {
    throw new nb.NotFoundError(`char-rnn: no model at '${path}'; pass the run folder of 'nabla train char-rnn --out DIR' (or DIR/model.nabla).`);
  }
  const isDir = statSync(path).isDirectory();
  const modelPath = isDir ? join(path, 'model.nabla') : path;
  const vocabPath = join(isDir ? path : dirname(path), 'vocab.json');
  if (!existsSync(modelPath)) throw new nb.NotFoundError(`char-rnn: '${path}' holds no model.nabla; pass the run folder of 'nabla train char-rnn --out DIR'.`);
  if (!existsSync(vocabPath)) {
    throw new nb.NotFoundError(`char-rnn: no vocab.json next to '${modelPath}'; 'nabla train char-rnn' writes it beside model.nabla; copy it there.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(vocabPath, 'utf8'));
  } catch (e) {
    throw new nb.InvalidArgumentError(`char-rnn: '${vocabPath}' is not valid JSON (${(e as Error).message}); use the vocab.json written by 'nabla train char-rnn'.`);
  }
  return { model: nb.keras.loadModel(modelPath), vocab: CharVocabulary.fromJSON(json), modelPath, vocabPath };
}
