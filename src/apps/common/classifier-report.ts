// The HTML report of an image classifier's training run, shared by `nabla train mnist` and
// `nabla train cats-vs-dogs`: loss and accuracy curves, the confusion matrix, per-class figures
// and a grid of evaluated images, written as PNGs and inlined in one self-contained page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';
import { confusionSpec, curveSpec, svgToPng, vegaLiteToSvg } from '../mnist/charts.js';
import type { Evaluation } from '../mnist/metrics.js';
import { samplesSvg, type SampleTile } from '../mnist/samples.js';
import { escapeHtml, pngDataUri, reportHead } from './html.js';

export interface ClassifierReportInput {
  /** What was trained on what, e.g. 'mnist_convnet on digits': the page's title and heading. */
  title: string;
  /** The images the evaluation is on: 'test' or 'validation'. */
  split: string;
  /** Accuracy on those images (0..1), the headline figure. */
  accuracy: number;
  epochs: number;
  /** Rows of the run table: [name, value]. */
  settings: [string, string][];
  /** Per-epoch figures from `fit`: loss, accuracy, val_loss, val_accuracy. */
  history: Record<string, number[]>;
  evaluation: Evaluation;
  classNames: readonly string[];
  /** The grid's images: the first `firstCount` evaluated ones, then misclassified ones. */
  samples: SampleTile[];
  firstCount: number;
}

/** Report images: file name → what it shows. */
export const REPORT_IMAGES = {
  'loss.png': 'loss per epoch, training and validation',
  'accuracy.png': 'accuracy per epoch, training and validation',
  'confusion.png': 'confusion matrix',
  'samples.png': 'evaluated images with predicted and true labels',
} as const;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Indices of a sample grid: the first `first` images, then misclassified ones not among them. */
export function sampleIndices(truth: ArrayLike<number>, predicted: ArrayLike<number>, first = 32, errors = 16): number[] {
  const n = truth.length;
  const picked = Array.from({ length: Math.min(first, n) }, (_, i) => i);
  for (let i = picked.length; i < n && picked.length < first + errors; i++) {
    if (truth[i] !== predicted[i]) picked.push(i);
  }
  return picked;
}

function tables(evaluation: Evaluation, classNames: readonly string[]): { confusion: string; perClass: string } {
  const confusion = [
    `<tr><th>true \\ predicted</th>${classNames.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`,
    ...evaluation.confusion.map(
      (row, t) => `<tr><th>${escapeHtml(classNames[t]!)}</th>${row.map((v, p) => `<td class="${p === t ? 'diag' : v > 0 ? 'off' : ''}">${v}</td>`).join('')}</tr>`,
    ),
  ].join('\n');
  const perClass = [
    '<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>',
    ...evaluation.perClass.map((c) => `<tr><th>${escapeHtml(c.name)}</th><td>${pct(c.precision)}</td><td>${pct(c.recall)}</td><td>${c.f1.toFixed(3)}</td><td>${c.support}</td></tr>`),
  ].join('\n');
  return { confusion, perClass };
}

/**
 * Writes loss.png, accuracy.png, confusion.png, samples.png and a self-contained report.html
 * (the same images inlined as data URIs) into `outDir`; returns the report's path.
 *
 * @example
 * ```ts
 * const path = await writeClassifierReport('runs/x', {
 *   title: 'cats_vs_dogs_cnn on pets', split: 'validation', accuracy: 0.81, epochs: 10,
 *   settings: [['batch size', '32']], history: history.history, evaluation,
 *   classNames: ['cat', 'dog'], samples, firstCount: 32,
 * });
 * ```
 */
export async function writeClassifierReport(outDir: string, input: ClassifierReportInput): Promise<string> {
  const { evaluation, classNames, split } = input;
  const images: Record<keyof typeof REPORT_IMAGES, Buffer> = {
    'loss.png': svgToPng(await vegaLiteToSvg(curveSpec(input.history, 'loss', 'Loss per epoch'))),
    'accuracy.png': svgToPng(await vegaLiteToSvg(curveSpec(input.history, 'accuracy', 'Accuracy per epoch'))),
    'confusion.png': svgToPng(await vegaLiteToSvg(confusionSpec(evaluation.confusion, classNames, `Confusion matrix (${split} set)`))),
    'samples.png': svgToPng(samplesSvg(input.samples), 1),
  };
  for (const [name, png] of Object.entries(images)) writeFileSync(join(outDir, name), png);

  const errors = input.samples.filter((t) => t.truth !== t.predicted).length;
  const img = (name: keyof typeof REPORT_IMAGES): string => `<img src="${pngDataUri(images[name])}" alt="${escapeHtml(REPORT_IMAGES[name])}" title="${name}">`;
  const { confusion, perClass } = tables(evaluation, classNames);
  const Split = split.charAt(0).toUpperCase() + split.slice(1);
  const html = `${reportHead(`${input.title}: ${pct(input.accuracy)}`, `th, td { text-align: right; }
table.params th, table.params td { text-align: left; }
td.diag { background: #dbeafe; font-weight: bold; }
td.off { color: #b91c1c; }
.charts img { width: 49%; }`)}
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(Split)} accuracy <b>${pct(input.accuracy)}</b> after ${input.epochs} epoch${input.epochs === 1 ? '' : 's'}, trained with nabla ${escapeHtml(nb.version)}.</p>
<h2>Run</h2>
<table class="params">
${input.settings.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<h2>Training curves</h2>
<div class="charts">${img('loss.png')} ${img('accuracy.png')}</div>
<h2>Confusion matrix</h2>
${img('confusion.png')}
<table>
${confusion}
</table>
<h2>Per-class precision and recall</h2>
<table>
${perClass}
</table>
<h2>${escapeHtml(Split)} images</h2>
<p>The first ${Math.min(input.firstCount, input.samples.length)} ${escapeHtml(split)} images, then misclassified ones: predicted label (probability) over the true label; ${errors} error${errors === 1 ? '' : 's'} shown with a red border.</p>
${img('samples.png')}
</body>
</html>
`;
  const path = join(outDir, 'report.html');
  writeFileSync(path, html);
  return path;
}
