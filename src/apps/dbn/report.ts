// The HTML report of a DBN run: reconstruction error per layer and epoch, fine-tuning accuracy of
// the pre-trained and the random-init classifier, the first layer's filters and Gibbs samples.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import * as nb from '../../index.js';
import { svgToPng, vegaLiteToSvg } from '../mnist/charts.js';
import { escapeHtml, pngDataUri, reportHead } from '../common/html.js';

export interface DbnReportInput {
  title: string;
  /** Rows of the run table: [name, value]. */
  settings: [string, string][];
  /** Reconstruction error per epoch, one array per RBM (bottom first). */
  reconstructionError: number[][];
  /** Training accuracy per fine-tuning epoch of each classifier. */
  finetuneAccuracy: { pretrained: number[]; randomInit: number[] };
  pretrainedAccuracy: number;
  randomInitAccuracy: number;
  /** PNG files already in the run folder, shown as [file, caption]. */
  pictures: [string, string][];
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Line chart of one series per named group over epochs. */
function linesSpec(series: Record<string, number[]>, yTitle: string, title: string): TopLevelSpec {
  const values = Object.entries(series).flatMap(([group, ys]) => ys.map((value, i) => ({ epoch: i + 1, value, group })));
  const epochs = Math.max(2, ...values.map((v) => v.epoch));
  return {
    title,
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [1, epochs] }, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'group', type: 'nominal', title: null },
    },
  };
}

/**
 * Writes reconstruction.png, finetune.png and a self-contained report.html (every picture inlined)
 * into `outDir`; returns the report's path.
 *
 * @example
 * ```ts
 * await writeDbnReport('runs/dbn', { title: 'DBN on fashion-mnist', settings: [], reconstructionError: [[0.05, 0.04]],
 *   finetuneAccuracy: { pretrained: [0.8], randomInit: [0.7] }, pretrainedAccuracy: 0.8, randomInitAccuracy: 0.7, pictures: [] });
 * ```
 */
export async function writeDbnReport(outDir: string, input: DbnReportInput): Promise<string> {
  const recon = Object.fromEntries(input.reconstructionError.map((errors, i) => [`RBM ${i + 1}`, errors]));
  const charts: [string, string, TopLevelSpec][] = [
    ['reconstruction.png', 'reconstruction error per epoch and layer', linesSpec(recon, 'mean squared error per unit', 'Pre-training: reconstruction error')],
    [
      'finetune.png',
      'training accuracy per fine-tuning epoch',
      linesSpec({ 'DBN pre-trained': input.finetuneAccuracy.pretrained, 'random init': input.finetuneAccuracy.randomInit }, 'training accuracy', 'Fine-tuning: training accuracy'),
    ],
  ];
  const figures: [string, string, Buffer][] = [];
  for (const [file, caption, spec] of charts) {
    const png = svgToPng(await vegaLiteToSvg(spec));
    writeFileSync(join(outDir, file), png);
    figures.push([file, caption, png]);
  }
  for (const [file, caption] of input.pictures) figures.push([file, caption, readFileSync(join(outDir, file))]);
  const img = ([file, caption, png]: [string, string, Buffer]): string =>
    `<figure><img src="${pngDataUri(png)}" alt="${escapeHtml(caption)}" title="${file}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  const html = `${reportHead(input.title, `img { image-rendering: pixelated; }
figure { display: inline-block; margin: 0 1em 1em 0; vertical-align: top; }`)}
<body>
<h1>${escapeHtml(input.title)}</h1>
<table>
<tr><th>classifier</th><th>test accuracy</th></tr>
<tr><td>DBN pre-trained, then fine-tuned</td><td><b>${pct(input.pretrainedAccuracy)}</b></td></tr>
<tr><td>same network from random init</td><td><b>${pct(input.randomInitAccuracy)}</b></td></tr>
</table>
<h2>Run</h2>
<table>
${input.settings.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<h2>Figures</h2>
${figures.map(img).join('\n')}
<p>Made with nabla ${escapeHtml(nb.version)}.</p>
</body>
</html>
`;
  const path = join(outDir, 'report.html');
  writeFileSync(path, html);
  return path;
}
