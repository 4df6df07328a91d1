// The HTML report of an autoencoder run: its settings, the figures per epoch and the pictures,
// inlined as data URIs so the page is one self-contained file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';
import { escapeHtml, pngDataUri, reportHead } from '../common/html.js';

export interface AutoencoderReportInput {
  title: string;
  /** The headline, e.g. 'Test reconstruction error (MSE per pixel) 0.0123'. */
  headline: string;
  settings: [string, string][];
  /** Figures per epoch: name -> one value per epoch. */
  history: Record<string, number[]>;
  /** Pictures already written in the folder: [file name, caption]. */
  pictures: [string, string][];
}


/**
 * Writes `outDir/report.html` and returns its path.
 *
 * @example
 * ```ts
 * writeAutoencoderReport('runs/ae', {title: 'VAE on fashion-mnist', headline: 'test ELBO -260.1',
 *   settings: [['epochs', '5']], history: {elbo: [-300, -270]}, pictures: [['recon.png', 'reconstructions']]});
 * ```
 */
export function writeAutoencoderReport(outDir: string, input: AutoencoderReportInput): string {
  const keys = Object.keys(input.history);
  const epochs = Math.max(0, ...keys.map((k) => input.history[k]!.length));
  const rows = Array.from({ length: epochs }, (_, e) => `<tr><td>${e + 1}</td>${keys.map((k) => `<td>${input.history[k]![e]?.toFixed(4) ?? ''}</td>`).join('')}</tr>`);
  const pictures = input.pictures.map(([file, caption]) => {
    const uri = pngDataUri(readFileSync(join(outDir, file)));
    return `<figure><img src="${uri}" alt="${escapeHtml(caption)}" title="${escapeHtml(file)}"><figcaption>${escapeHtml(caption)} (${escapeHtml(file)})</figcaption></figure>`;
  });
  const html = `${reportHead(input.title, `img { image-rendering: pixelated; }
figure { margin: 1em 0; }`)}
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.headline)}; trained with nabla ${escapeHtml(nb.version)}.</p>
<h2>Run</h2>
<table>
${input.settings.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
<h2>Per epoch (training batches)</h2>
<table>
<tr><th>epoch</th>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr>
${rows.join('\n')}
</table>
<h2>Pictures</h2>
${pictures.join('\n')}
</body>
</html>
`;
  const path = join(outDir, 'report.html');
  writeFileSync(path, html);
  return path;
}
