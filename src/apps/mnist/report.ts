import * as nb from '../../index.js';
import { sampleIndices, writeClassifierReport } from '../common/classifier-report.js';
import type { Evaluation } from './metrics.js';
import type { MnistTrainResult } from './train.js';

export interface ReportInput {
  result: MnistTrainResult;
  evaluation: Evaluation;
  classNames: string[];
  /** Test images float32 [n, h, w, 1], 0..255. */
  testImages: nb.Tensor;
  testLabels: Int32Array;
  predicted: Int32Array;
  /** Predicted class probabilities [n, classes]. */
  probs: nb.Tensor;
}

const FIRST = 32;

/**
 * Writes loss.png, accuracy.png, confusion.png, samples.png and a self-contained report.html
 * (the same images inlined as data URIs) into `outDir`; returns the report's path.
 */
export async function writeReport(outDir: string, input: ReportInput): Promise<string> {
  const { result, evaluation, classNames } = input;
  const picked = sampleIndices(input.testLabels, input.predicted, FIRST);
  const confidence = nb.max(input.probs, 1).dataSync();
  const samples = picked.map((i) => ({
    image: nb.slice(input.testImages, [i, 0, 0, 0], [1, ...input.testImages.shape.slice(1)]),
    truth: classNames[input.testLabels[i]!]!,
    predicted: classNames[input.predicted[i]!]!,
    probability: confidence[i]!,
  }));
  const settings: [string, string][] = [
    ['dataset', `${result.dataset} (${result.datasetFound === 'auto' ? 'first found' : result.datasetFound}) — ${result.datasetPath}`],
    ['backend', `${result.backend}${result.backend === 'native' ? `, ${result.threads} threads` : ''}`],
    ['model', 'mnist_convnet: Conv2D 32 3x3 ReLU, MaxPool 2, Conv2D 64 3x3 ReLU, MaxPool 2, Flatten, Dropout 0.5, Dense softmax'],
    ['optimizer', 'Adam, learning rate 0.001'],
    ['loss', 'sparse categorical crossentropy'],
    ['epochs', String(result.epochs)],
    ['batch size', String(result.batchSize)],
    ['validation split', String(result.validationSplit)],
    ['seed', String(result.seed)],
    ['samples', `${result.trainSamples} train, ${result.validationSamples} validation, ${result.testSamples} test`],
    ['training time', `${result.trainSeconds.toFixed(1)} s (${result.secondsPerEpoch.toFixed(2)} s per epoch, ${Math.round(result.samplesPerSecond)} samples/s)`],
    ['test accuracy', `${(result.testAccuracy * 100).toFixed(1)}% (loss ${result.testLoss.toFixed(4)})`],
  ];
  return writeClassifierReport(outDir, {
    title: `mnist_convnet on ${result.dataset}`,
    split: 'test',
    accuracy: result.testAccuracy,
    epochs: result.epochs,
    settings,
    history: result.history,
    evaluation,
    classNames,
    samples,
    firstCount: FIRST,
  });
}
