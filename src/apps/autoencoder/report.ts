// The HTML report of an autoencoder run: its settings, the figures per epoch and the pictures,
// inlined as data URIs so the page is one self-contained file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';

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

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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
    const uri = `data:image/png;base64,${readFileSync(join(outDir, file)).toString('base64')}`;
    return `<figure><img src="${uri}" alt="${escape(caption)}" title="${escape(file)}"><figcaption>${escape(caption)} (${escape(file)})</figcaption></figure>`;
  });
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>nabla ${escape(input.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #f4f4f4; }
img { max-width: 100%; image-rendering: pixelated; }
figure { margin: 1em 0; }
</style>
</head>
<body>
<h1>${escape(input.title)}</h1>
<p>${escape(input.headline)}; trained with nabla ${escape(nb.version)}.</p>
<h2>Run</h2>
<table>
${input.settings.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n')}
</table>
<h2>Per epoch (training batches)</h2>
<table>
<tr><th>epoch</th>${keys.map((k) => `<th>${escape(k)}</th>`).join('')}</tr>
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
