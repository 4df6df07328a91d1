import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { runLogger } from '../common/run-logger.js';
import { timestampedRunDir } from '../common/run-dir.js';
import { StepTimer } from '../common/step-timer.js';
import { loadCorpus, splitText, type Corpus } from './corpus.js';
import { buildCharRnn, crossEntropy, makeWindows } from './model.js';
import { writeCharRnnReport } from './report.js';
import { CharSampler } from './sampler.js';
import { CharVocabulary } from './vocabulary.js';

/** Defaults of `nabla train char-rnn`. */
export const CHAR_RNN_DEFAULTS = {
  epochs: 2,
  seqLength: 100,
  batchSize: 64,
  units: 128,
  embeddingDim: 64,
  lstmLayers: 1,
  learningRate: 3e-3,
  seed: 42,
  heldOutFraction: 0.1,
  sampleLength: 300,
  temperatures: [0.5, 0.8, 1.0],
} as const;

export interface CharRnnTrainOptions {
  /** A text file (or a folder of fortune files); default: the fortune files found on the machine. */
  textPath?: string;
  /** The corpus itself, instead of reading one (tests). */
  corpus?: Corpus;
  /** Use only the first N characters of the text (before the held-out split). */
  limitChars?: number;
  epochs?: number;
  seqLength?: number;
  batchSize?: number;
  units?: number;
  embeddingDim?: number;
  lstmLayers?: number;
  learningRate?: number;
  seed?: number;
  /** Characters per sample in the report (default 300). */
  sampleLength?: number;
  /** Output folder; null writes nothing (default runs/char-rnn-<timestamp>). */
  outDir?: string | null;
  /** fit's verbosity (default 1). */
  verbose?: number;
  log?: (line: string) => void;
}

export interface CharRnnTrainResult {
  source: string;
  backend: string;
  textChars: number;
  trainChars: number;
  heldOutChars: number;
  vocabSize: number;
  epochs: number;
  seqLength: number;
  batchSize: number;
  units: number;
  lstmLayers: number;
  seed: number;
  trainSeconds: number;
  samplesPerSecond: number;
  /** Held-out cross-entropy per character at the end, in nats and bits, and its perplexity. */
  heldOutNats: number;
  heldOutBits: number;
  heldOutPerplexity: number;
  /** log(vocabSize): the cross-entropy of a uniform guess. */
  uniformNats: number;
  /** Held-out nats after each epoch. */
  heldOutCurve: number[];
  /** Training loss of each step (nats per character). */
  stepLoss: number[];
  samples: { temperature: number; text: string }[];
  outDir: string | null;
  modelPath: string | null;
  vocabPath: string | null;
  reportPath: string | null;
}

/** The per-step training loss, recovered from fit's running epoch mean and the batch sizes. */
class StepLoss extends nb.keras.callbacks.Callback {
  readonly losses: number[] = [];
  private seen = 0;
  private mean = 0;
  private size = 0;

  override onEpochBegin(): void {
    this.seen = 0;
    this.mean = 0;
  }

  override onTrainBatchBegin(_batch: number, logs: Record<string, number> = {}): void {
    this.size = logs['size'] ?? 1;
  }

  override onTrainBatchEnd(_batch: number, logs: Record<string, number> = {}): void {
    const m = logs['loss'] ?? NaN;
    const total = this.seen + this.size;
    this.losses.push((m * total - this.mean * this.seen) / this.size);
    this.seen = total;
    this.mean = m;
  }
}

const positiveInt = (name: string, v: number | undefined, dflt: number): number => {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw new nb.InvalidArgumentError(`char-rnn: ${name} must be an integer >= 1, got ${String(v)}.`);
  return n;
};

/**
 * Trains a character-level LSTM language model on a text (default: the fortune files), reports the
 * held-out per-character cross-entropy (nats, bits, perplexity), draws samples at temperatures
 * 0.5/0.8/1.0 and saves model.nabla, vocab.json, result.json and report.html in the run folder.
 *
 * @example
 * ```ts
 * const r = await trainCharRnn({textPath: 'book.txt', epochs: 1, outDir: '/tmp/char-rnn'});
 * console.log(r.heldOutBits, r.samples[1]!.text);
 * ```
 */
export async function trainCharRnn(options: CharRnnTrainOptions = {}): Promise<CharRnnTrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const d = CHAR_RNN_DEFAULTS;
  const epochs = positiveInt('epochs', options.epochs, d.epochs);
  const seqLength = positiveInt('seqLength', options.seqLength, d.seqLength);
  const batchSize = positiveInt('batchSize', options.batchSize, d.batchSize);
  const units = positiveInt('units', options.units, d.units);
  const lstmLayers = positiveInt('lstmLayers', options.lstmLayers, d.lstmLayers);
  const embeddingDim = positiveInt('embeddingDim', options.embeddingDim, d.embeddingDim);
  const seed = options.seed ?? d.seed;

  const corpus = options.corpus ?? loadCorpus(options.textPath);
  let text = corpus.text;
  if (options.limitChars !== undefined) text = [...text].slice(0, positiveInt('limitChars', options.limitChars, 1)).join('');
  if (text.length === 0) throw new nb.InvalidArgumentError(`char-rnn: the text '${corpus.source}' is empty; give a file with some text in it.`);
  const textChars = [...text].length;
  const minChars = Math.ceil((seqLength + 1) / (1 - d.heldOutFraction)) + seqLength + 1;
  if (textChars < minChars) {
    throw new nb.InvalidArgumentError(
      `char-rnn: the text '${corpus.source}' has ${textChars} characters; with --seq-length ${seqLength} it needs at least ${minChars} ` +
        `(one window of seq-length + 1 for training and one in the held-out last ${d.heldOutFraction * 100}%). Use a longer text or a smaller --seq-length.`,
    );
  }
  const { train, heldOut } = splitText(text, d.heldOutFraction);
  const vocab = CharVocabulary.fromText(train);
  const trainIds = vocab.encode(train);
  const heldOutIds = vocab.encode(heldOut);
  const { x, y } = makeWindows(trainIds, seqLength, 'training text');
  log(`Text: ${corpus.source} (${corpus.kind}), ${textChars} characters; ${trainIds.length} for training, ${heldOutIds.length} held out (the last ${d.heldOutFraction * 100}%)`);
  log(`Vocabulary: ${vocab.size} entries (${vocab.size - 1} characters + OOV); ${x.shape[0]} windows of ${seqLength}`);
  log(`Backend: ${nb.getBackend()}; epochs ${epochs}, batch size ${batchSize}, units ${units}, LSTM layers ${lstmLayers}, seed ${seed}`);

  nb.setSeed(seed);
  const model = buildCharRnn({ vocabSize: vocab.size, units, lstmLayers, embeddingDim }, options.learningRate ?? d.learningRate);
  const timer = new StepTimer();
  const steps = new StepLoss();
  const held = makeWindows(heldOutIds, seqLength, 'held-out text');
  const start = performance.now();
  // The held-out windows as validation data: val_loss after each epoch is the held-out cross-entropy.
  const outDir = options.outDir === null ? null : resolve(options.outDir ?? timestampedRunDir('char-rnn'));
  const callbacks: nb.keras.callbacks.Callback[] = [timer, steps];
  if (outDir) callbacks.push(runLogger(outDir, { dataset: corpus.source, hyperParameters: { epochs, batchSize, seqLength, units, lstmLayers, seed } }));
  const history = await model.fit(x, y, { epochs, batchSize, validationData: [held.x, held.y], verbose: options.verbose ?? 1, callbacks });
  const trainSeconds = (performance.now() - start) / 1000;
  const heldOutCurve = history.history['val_loss'] ?? [];
  heldOutCurve.forEach((nats, e) => log(`Epoch ${e + 1}/${epochs}: held-out ${nats.toFixed(4)} nats/char = ${(nats / Math.LN2).toFixed(3)} bits/char, perplexity ${Math.exp(nats).toFixed(2)}`));
  const finalNats = heldOutCurve.at(-1) ?? crossEntropy(model, heldOutIds, seqLength, batchSize).nats;

  const sampler = new CharSampler(model, vocab);
  const prompt = [...heldOut].slice(0, 1).join('') || [...train][0]!;
  const samples = d.temperatures.map((temperature) => ({
    temperature,
    text: sampler.generate({ prompt, length: options.sampleLength ?? d.sampleLength, temperature, seed }),
  }));
  for (const s of samples) log(`--- sample, temperature ${s.temperature} ---\n${s.text}`);

  const result: CharRnnTrainResult = {
    source: corpus.source,
    backend: nb.getBackend(),
    textChars,
    trainChars: trainIds.length,
    heldOutChars: heldOutIds.length,
    vocabSize: vocab.size,
    epochs,
    seqLength,
    batchSize,
    units,
    lstmLayers,
    seed,
    trainSeconds,
    samplesPerSecond: timer.samplesPerSecond,
    heldOutNats: finalNats,
    heldOutBits: finalNats / Math.LN2,
    heldOutPerplexity: Math.exp(finalNats),
    uniformNats: Math.log(vocab.size),
    heldOutCurve,
    stepLoss: steps.losses,
    samples,
    outDir: null,
    modelPath: null,
    vocabPath: null,
    reportPath: null,
  };
  log(`Held-out: ${result.heldOutBits.toFixed(3)} bits/char (${finalNats.toFixed(4)} nats), perplexity ${result.heldOutPerplexity.toFixed(2)} (uniform guess: ${result.uniformNats.toFixed(3)} nats); trained in ${trainSeconds.toFixed(1)} s`);

  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    result.outDir = outDir;
    result.modelPath = join(outDir, 'model.nabla');
    result.vocabPath = join(outDir, 'vocab.json');
    model.save(result.modelPath);
    writeFileSync(result.vocabPath, `${JSON.stringify(vocab.toJSON())}\n`);
    result.reportPath = writeCharRnnReport(outDir, {
      settings: [
        ['text', `${corpus.source} (${textChars} characters, vocabulary ${vocab.size})`],
        ['model', `Embedding ${embeddingDim} → LSTM ${units} × ${lstmLayers} → Dense ${vocab.size}`],
        ['training', `${epochs} epochs, batch ${batchSize}, windows of ${seqLength}, seed ${seed}, backend ${result.backend}, ${trainSeconds.toFixed(1)} s`],
        ['held-out', `${result.heldOutBits.toFixed(3)} bits/char, ${finalNats.toFixed(4)} nats/char, perplexity ${result.heldOutPerplexity.toFixed(2)} (uniform: ${result.uniformNats.toFixed(3)} nats)`],
      ],
      stepLoss: result.stepLoss,
      heldOutNats: heldOutCurve,
      samples,
    });
    writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`Saved the model to ${result.modelPath} and the vocabulary to ${result.vocabPath}`);
    log(`Report: ${result.reportPath}`);
  }
  return result;
}
