// The HTML report of a text-classify run: curves, confusion matrix, per-class figures and sample
// test texts with their predicted and true categories, in one self-contained page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';
import { sampleIndices } from '../common/classifier-report.js';
import { confusionSpec, curveSpec, svgToPng, vegaLiteToSvg } from '../mnist/charts.js';
import type { Evaluation } from '../mnist/metrics.js';
import type { TextClassifyResult } from './train.js';
import { escapeHtml, pngDataUri, reportHead } from '../common/html.js';

export interface TextReportInput {
  result: TextClassifyResult;
  evaluation: Evaluation;
  testTexts: readonly string[];
  testLabels: ArrayLike<number>;
  predicted: ArrayLike<number>;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const img = (png: Buffer, alt: string): string => `<img src="data:image/png;base64,${png.toString('base64')}" alt="${escapeHtml(alt)}">`;

/**
 * Writes loss.png, accuracy.png, confusion.png and report.html (images inlined) into `outDir`;
 * returns the report's path.
 *
 * @example
 * ```ts
 * const path = await writeTextReport('runs/x', {result, evaluation, testTexts, testLabels, predicted});
 * ```
 */
export async function writeTextReport(outDir: string, input: TextReportInput): Promise<string> {
  const { result, evaluation } = input;
  const names = result.classNames;
  const pngs = {
    'loss.png': svgToPng(await vegaLiteToSvg(curveSpec(result.history, 'loss', 'Loss per epoch'))),
    'accuracy.png': svgToPng(await vegaLiteToSvg(curveSpec(result.history, 'accuracy', 'Accuracy per epoch'))),
    'confusion.png': svgToPng(await vegaLiteToSvg(confusionSpec(evaluation.confusion, names, 'Confusion matrix (test set)'))),
  };
  for (const [name, png] of Object.entries(pngs)) writeFileSync(join(outDir, name), png);

  const settings: [string, string][] = [
    ['data', result.dataPath],
    ['classes', names.join(', ')],
    ['training / test entries', `${result.trainSamples} / ${result.testSamples}`],
    ['model', `Embedding 32 → Bidirectional(GRU) → Dense softmax`],
    ['vocabulary', `${result.vocabularySize} tokens (maxTokens ${result.maxTokens}), sequence length ${result.sequenceLength}`],
    ['epochs, batch size, seed', `${result.epochs}, ${result.batchSize}, ${result.seed}`],
    ['backend', result.backend],
    ['training time', `${result.trainSeconds.toFixed(1)} s (${Math.round(result.samplesPerSec)} samples/s)`],
  ];
  const confusion = [
    `<tr><th>true \\ predicted</th>${names.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`,
    ...evaluation.confusion.map((row, t) => `<tr><th>${escapeHtml(names[t]!)}</th>${row.map((v) => `<td>${v}</td>`).join('')}</tr>`),
  ].join('\n');
  const perClass = [
    '<tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>',
    ...evaluation.perClass.map((c) => `<tr><th>${escapeHtml(c.name)}</th><td>${pct(c.precision)}</td><td>${pct(c.recall)}</td><td>${c.f1.toFixed(3)}</td><td>${c.support}</td></tr>`),
  ].join('\n');
  const samples = sampleIndices(input.testLabels, input.predicted, 20, 10)
    .map((i) => {
      const ok = input.testLabels[i] === input.predicted[i];
      const text = input.testTexts[i]!.length > 300 ? `${input.testTexts[i]!.slice(0, 300)}…` : input.testTexts[i]!;
      return `<tr class="${ok ? '' : 'err'}"><td>${escapeHtml(names[input.predicted[i]!]!)}</td><td>${escapeHtml(names[input.testLabels[i]!]!)}</td><td class="text">${escapeHtml(text)}</td></tr>`;
    })
    .join('\n');
  const html = `${reportHead(`text-classify: ${pct(result.accuracy)}`, `td { vertical-align: top; }
td.text { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 0.85em; }
tr.err td { background: #fee2e2; }`)}
<body>
<h1>Fortune categories: Embedding + Bidirectional(GRU)</h1>
<p>Test accuracy <b>${pct(result.accuracy)}</b> against a majority-class baseline of ${pct(result.baseline)}, after ${result.epochs} epoch${result.epochs === 1 ? '' : 's'}, trained with nabla ${escapeHtml(nb.version)}.</p>
<h2>Run</h2>
<table>
${settings.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<h2>Training curves</h2>
${img(pngs['loss.png'], 'loss per epoch')} ${img(pngs['accuracy.png'], 'accuracy per epoch')}
<h2>Confusion matrix</h2>
${img(pngs['confusion.png'], 'confusion matrix')}
<table>
${confusion}
</table>
<h2>Per-class precision and recall</h2>
<table>
${perClass}
</table>
<h2>Test texts</h2>
<p>The first 20 test entries, then misclassified ones (red).</p>
<table>
<tr><th>predicted</th><th>true</th><th>text</th></tr>
${samples}
</table>
</body>
</html>
`;
  const path = join(outDir, 'report.html');
  writeFileSync(path, html);
  return path;
}
