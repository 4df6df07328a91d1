import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';
import { confusionSpec, curveSpec, svgToPng, vegaLiteToSvg } from './charts.js';
import type { Evaluation } from './metrics.js';
import { samplesSvg } from './samples.js';
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

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const dataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

/** Indices of the sample grid: the first test images, then misclassified ones not among them. */
export function sampleIndices(truth: ArrayLike<number>, predicted: ArrayLike<number>, first = 32, errors = 16): number[] {
  const n = truth.length;
  const picked = Array.from({ length: Math.min(first, n) }, (_, i) => i);
  for (let i = picked.length; i < n && picked.length < first + errors; i++) {
    if (truth[i] !== predicted[i]) picked.push(i);
  }
  return picked;
}

/**
 * Writes loss.png, accuracy.png, confusion.png, samples.png and a self-contained report.html
 * (the same images inlined as data URIs) into `outDir`; returns the report's path.
 */
export async function writeReport(outDir: string, input: ReportInput): Promise<string> {
  const { result, evaluation, classNames } = input;
  const images: Record<string, Buffer> = {};
  images['loss.png'] = svgToPng(await vegaLiteToSvg(curveSpec(result.history, 'loss', 'Loss per epoch')));
  images['accuracy.png'] = svgToPng(await vegaLiteToSvg(curveSpec(result.history, 'accuracy', 'Accuracy per epoch')));
  images['confusion.png'] = svgToPng(await vegaLiteToSvg(confusionSpec(evaluation.confusion, classNames)));
  const picked = sampleIndices(input.testLabels, input.predicted);
  const confidence = nb.max(input.probs, 1).dataSync();
  images['samples.png'] = svgToPng(
    samplesSvg(
      picked.map((i) => ({
        image: nb.slice(input.testImages, [i, 0, 0, 0], [1, ...input.testImages.shape.slice(1)]),
        truth: classNames[input.testLabels[i]!]!,
        predicted: classNames[input.predicted[i]!]!,
        probability: confidence[i]!,
      })),
    ),
    1,
  );
  for (const [name, png] of Object.entries(images)) writeFileSync(join(outDir, name), png);

  const errors = picked.filter((i) => input.testLabels[i] !== input.predicted[i]).length;
  const hyper: [string, string][] = [
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
    ['test accuracy', `${pct(result.testAccuracy)} (loss ${result.testLoss.toFixed(4)})`],
  ];
  const img = (name: string, alt: string): string => `<img src="${dataUri(images[name]!)}" alt="${escape(alt)}" title="${name}">`;
  const confusionTable = [
    `<tr><th>true \\ predicted</th>${classNames.map((c) => `<th>${escape(c)}</th>`).join('')}</tr>`,
    ...evaluation.confusion.map(
      (row, t) => `<tr><th>${escape(classNames[t]!)}</th>${row.map((v, p) => `<td class="${p === t ? 'diag' : v > 0 ? 'off' : ''}">${v}</td>`).join('')}</tr>`,
    ),
  ].join('\n');
  const classTable = [
    '<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>',
    ...evaluation.perClass.map((c) => `<tr><th>${escape(c.name)}</th><td>${pct(c.precision)}</td><td>${pct(c.recall)}</td><td>${c.f1.toFixed(3)}</td><td>${c.support}</td></tr>`),
  ].join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>nabla mnist_convnet on ${escape(result.dataset)}: ${pct(result.testAccuracy)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f4f4f4; }
table.params th, table.params td { text-align: left; }
td.diag { background: #dbeafe; font-weight: bold; }
td.off { color: #b91c1c; }
img { max-width: 100%; }
.charts img { width: 49%; }
</style>
</head>
<body>
<h1>mnist_convnet on ${escape(result.dataset)}</h1>
<p>Test accuracy <b>${pct(result.testAccuracy)}</b> after ${result.epochs} epoch${result.epochs === 1 ? '' : 's'}, trained with nabla ${escape(nb.version)}.</p>
<h2>Run</h2>
<table class="params">
${hyper.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n')}
</table>
<h2>Training curves</h2>
<div class="charts">${img('loss.png', 'loss per epoch, training and validation')} ${img('accuracy.png', 'accuracy per epoch, training and validation')}</div>
<h2>Confusion matrix</h2>
${img('confusion.png', 'confusion matrix of the test set')}
<table>
${confusionTable}
</table>
<h2>Per-class precision and recall</h2>
<table>
${classTable}
</table>
<h2>Test images</h2>
<p>The first ${Math.min(32, picked.length)} test images, then misclassified ones: predicted label (probability) over the true label; ${errors} error${errors === 1 ? '' : 's'} shown with a red border.</p>
${img('samples.png', 'test images with predicted and true labels')}
</body>
</html>
`;
  const path = join(outDir, 'report.html');
  writeFileSync(path, html);
  return path;
}
