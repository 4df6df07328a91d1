import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { runLogger } from '../common/run-logger.js';
import { timestampedRunDir } from '../common/run-dir.js';
import { StepTimer } from '../common/step-timer.js';
import { evaluatePredictions, type ClassStats, type Evaluation } from '../mnist/metrics.js';
import { loadFortunes, majorityBaseline, TEST_SPLIT, type FortuneSplit } from './data.js';
import { buildTextClassifier } from './model.js';

export interface TextClassifyOptions {
  /** Folder of <category>.txt fortune files (default: found by findFortunes). */
  dataPath?: string;
  /** Categories to classify (default DEFAULT_CLASSES). */
  classes?: readonly string[];
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** TextVectorization maxTokens (default 8000). */
  maxTokens?: number;
  /** Tokens per text: padded or cut (default 64). */
  sequenceLength?: number;
  /** GRU units per direction (default 16). */
  units?: number;
  /** Keep the first N entries of the training and of the test part (quick runs). */
  limitPerSplit?: number;
  /** Folder for the model, vocabulary and report; null writes nothing. */
  outDir?: string | null;
  /** fit's verbosity (default 1: Keras progress). */
  verbose?: number;
  /** Where messages go (default console.log). */
  log?: (line: string) => void;
}

export interface TextClassifyResult {
  dataPath: string;
  classNames: string[];
  backend: string;
  epochs: number;
  batchSize: number;
  seed: number;
  maxTokens: number;
  sequenceLength: number;
  vocabularySize: number;
  trainSamples: number;
  testSamples: number;
  trainSeconds: number;
  samplesPerSec: number;
  /** Test accuracy (0..1). */
  accuracy: number;
  testLoss: number;
  /** Test accuracy of always answering the most frequent training class. */
  baseline: number;
  perClass: ClassStats[];
  history: Record<string, number[]>;
  outDir: string | null;
  modelPath: string | null;
  vocabularyPath: string | null;
  reportPath: string | null;
}

export const TEXT_DEFAULTS = { epochs: 5, batchSize: 32, seed: 42, maxTokens: 8000, sequenceLength: 64, units: 16 } as const;

/**
 * Trains an Embedding + Bidirectional(GRU) classifier on fortune categories: a seeded 80/20
 * split, a TextVectorization vocabulary adapted on the training texts, `fit`, then test accuracy
 * against the majority-class baseline; saves the model, the vocabulary and an HTML report.
 *
 * @example
 * ```ts
 * const r = await trainTextClassify({classes: ['food', 'love', 'sports'], epochs: 5, outDir: null});
 * console.log(r.accuracy, r.baseline);
 * ```
 */
export async function trainTextClassify(options: TextClassifyOptions = {}): Promise<TextClassifyResult & { evaluation: Evaluation; data: FortuneSplit; predicted: Int32Array }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const epochs = options.epochs ?? TEXT_DEFAULTS.epochs;
  const batchSize = options.batchSize ?? TEXT_DEFAULTS.batchSize;
  const seed = options.seed ?? TEXT_DEFAULTS.seed;
  const maxTokens = options.maxTokens ?? TEXT_DEFAULTS.maxTokens;
  const sequenceLength = options.sequenceLength ?? TEXT_DEFAULTS.sequenceLength;
  const data = loadFortunes({ path: options.dataPath, classes: options.classes, seed, limitPerSplit: options.limitPerSplit });
  const k = data.classNames.length;
  log(`Data: ${data.path}: ${data.trainTexts.length} training and ${data.testTexts.length} test entries of ${data.classNames.join(', ')} (seeded ${Math.round((1 - TEST_SPLIT) * 100)}/${Math.round(TEST_SPLIT * 100)} split)`);
  log(`Backend: ${nb.getBackend()}; epochs ${epochs}, batch size ${batchSize}, seed ${seed}, maxTokens ${maxTokens}, sequence length ${sequenceLength}`);

  nb.setSeed(seed);
  const vectorizer = nb.keras.layers.textVectorization({ maxTokens, outputSequenceLength: sequenceLength });
  vectorizer.adapt(data.trainTexts);
  const xTrain = vectorizer.apply(data.trainTexts);
  const yTrain = nb.tensor(Array.from(data.trainLabels), [data.trainLabels.length], 'int32');
  const xTest = vectorizer.apply(data.testTexts);
  const yTest = nb.tensor(Array.from(data.testLabels), [data.testLabels.length], 'int32');

  const model = buildTextClassifier({ vocabularySize: vectorizer.vocabularySize(), sequenceLength, classes: k, units: options.units ?? TEXT_DEFAULTS.units });
  if ((options.verbose ?? 1) > 0) model.summary({ printFn: log });
  const timer = new StepTimer();
  const start = performance.now();
  const outDir = options.outDir === null ? null : resolve(options.outDir ?? timestampedRunDir('text-classify'));
  const callbacks: nb.keras.callbacks.Callback[] = [timer];
  if (outDir) callbacks.push(runLogger(outDir, { dataset: data.path, hyperParameters: { epochs, batchSize, seed } }));
  const history = await model.fit(xTrain, yTrain, { epochs, batchSize, shuffle: true, verbose: options.verbose ?? 1, callbacks });
  const trainSeconds = (performance.now() - start) / 1000;

  const { loss: testLoss, accuracy } = model.evaluate(xTest, yTest, { batchSize: 256 });
  const probs = model.predict(xTest, { batchSize: 256 }) as nb.Tensor;
  const predicted = nb.argMax(probs, 1).dataSync() as Int32Array;
  const evaluation = evaluatePredictions(data.testLabels, predicted, data.classNames);
  const baseline = majorityBaseline(data.trainLabels, data.testLabels, k);
  log(`Test accuracy: ${(accuracy! * 100).toFixed(2)}% (loss ${testLoss!.toFixed(4)}) on ${data.testTexts.length} entries; majority-class baseline ('${data.classNames[baseline.label]}') ${(baseline.accuracy * 100).toFixed(2)}%`);

  const result: TextClassifyResult = {
    dataPath: data.path,
    classNames: data.classNames,
    backend: nb.getBackend(),
    epochs: history.epoch.length,
    batchSize,
    seed,
    maxTokens,
    sequenceLength,
    vocabularySize: vectorizer.vocabularySize(),
    trainSamples: data.trainTexts.length,
    testSamples: data.testTexts.length,
    trainSeconds,
    samplesPerSec: timer.samplesPerSecond,
    accuracy: accuracy!,
    testLoss: testLoss!,
    baseline: baseline.accuracy,
    perClass: evaluation.perClass,
    history: history.history,
    outDir: null,
    modelPath: null,
    vocabularyPath: null,
    reportPath: null,
  };

  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    result.outDir = outDir;
    result.modelPath = join(outDir, 'model.nabla');
    model.save(result.modelPath);
    result.vocabularyPath = join(outDir, 'vectorizer.json');
    writeFileSync(result.vocabularyPath, `${JSON.stringify({ classNames: data.classNames, config: vectorizer.getConfig() })}\n`);
    const { writeTextReport } = await import('./report.js');
    result.reportPath = await writeTextReport(outDir, { result, evaluation, testTexts: data.testTexts, testLabels: data.testLabels, predicted });
    writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`Saved the model to ${result.modelPath} and the vectorizer (vocabulary) to ${result.vocabularyPath}`);
    log(`Report: ${result.reportPath}`);
  }
  return { ...result, evaluation, data, predicted };
}
