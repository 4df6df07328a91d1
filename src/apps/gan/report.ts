// The HTML report of a GAN run: settings, the FID-style score, loss curves of D and G, the last
// epoch's samples and the per-epoch progress strip, all inlined in one self-contained page.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import * as nb from '../../index.js';
import { svgToPng, vegaLiteToSvg } from '../mnist/charts.js';
import { escapeHtml, pngDataUri, reportHead } from '../common/html.js';

export interface GanReportInput {
  /** Page title, e.g. 'DCGAN on fashion-mnist'. */
  title: string;
  /** Rows of the settings table. */
  settings: [string, string][];
  /** Per-epoch figures: keys named in `lossKeys` are drawn as loss curves, `fid` on its own chart. */
  history: Record<string, number[]>;
  lossKeys: string[];
  fidInitial: number | null;
  /** PNG files in the output folder shown in the page: [file, caption]. */
  pictures: [string, string][];
  /** The paragraph under the title (default: what the FID-style score is). */
  note?: string;
}

/** Line chart of several per-epoch series. */
export function seriesSpec(history: Record<string, number[]>, keys: readonly string[], title: string, yTitle: string, firstEpoch = 1): TopLevelSpec {
  const values = keys.flatMap((key) => (history[key] ?? []).map((value, i) => ({ epoch: i + firstEpoch, value, series: key })));
  const last = Math.max(firstEpoch + 1, ...values.map((v) => v.epoch));
  return {
    title,
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [firstEpoch, last] }, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', title: null, sort: [...keys] },
    },
  };
}

const FID_NOTE =
  'The FID-style score is the Fréchet distance between Gaussians fitted to the penultimate-layer features (1,600 per image) of the Keras mnist_convnet classifier for real test images and generated ones: a domain-specific FID for comparing nabla runs on the same data, not the Inception FID of the literature.';


/** Writes losses.png (and fid.png when scored) and report.html into `outDir`; returns the report's path. */
export async function writeGanReport(outDir: string, input: GanReportInput): Promise<string> {
  const charts: [string, string][] = [];
  writeFileSync(join(outDir, 'losses.png'), svgToPng(await vegaLiteToSvg(seriesSpec(input.history, input.lossKeys, 'Losses per epoch (mean over steps)', 'loss'))));
  charts.push(['losses.png', 'loss curves of the discriminator and the generator']);
  const fid = input.history['fid'];
  if (fid && fid.length > 0) {
    const withStart = { fid: input.fidInitial === null ? fid : [input.fidInitial, ...fid] };
    const spec = seriesSpec(withStart, ['fid'], 'FID-style score per epoch (lower is better; epoch 0: untrained)', 'Fréchet distance', input.fidInitial === null ? 1 : 0);
    writeFileSync(join(outDir, 'fid.png'), svgToPng(await vegaLiteToSvg(spec)));
    charts.push(['fid.png', 'FID-style score per epoch']);
  }
  const img = (file: string, alt: string): string => `<img src="${pngDataUri(readFileSync(join(outDir, file)))}" alt="${escapeHtml(alt)}" title="${escapeHtml(file)}">`;
  const html = `${reportHead(input.title, `img { image-rendering: pixelated; }
.charts img { width: 49%; image-rendering: auto; }
figure { margin: 1em 0; }`)}
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>Trained with nabla ${escapeHtml(nb.version)}. ${escapeHtml(input.note ?? FID_NOTE)}</p>
<h2>Run</h2>
<table>
${input.settings.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<h2>Curves</h2>
<div class="charts">${charts.map(([f, a]) => img(f, a)).join(' ')}</div>
${input.pictures.map(([f, caption]) => `<figure>${img(f, caption)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`).join('\n')}
</body>
</html>
`;
  const path = join(outDir, 'report.html');
  writeFileSync(path, html);
  return path;
}
