import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../index.js';

/** What the char-rnn report shows. */
export interface CharRnnReportInput {
  settings: [string, string][];
  /** Training loss of every step (nats per character). */
  stepLoss: number[];
  /** Held-out cross-entropy after each epoch (nats per character). */
  heldOutNats: number[];
  samples: { temperature: number; text: string }[];
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An inline SVG line chart of the step losses, with the held-out losses as dots at each epoch's last step. */
export function lossChartSvg(stepLoss: number[], heldOut: number[], width = 640, height = 260): string {
  const pad = 40;
  const all = [...stepLoss, ...heldOut].filter(Number.isFinite);
  if (all.length === 0) return '<p>(no steps)</p>';
  const lo = Math.min(...all, 0);
  const hi = Math.max(...all);
  const n = Math.max(1, stepLoss.length - 1);
  const x = (i: number): number => pad + ((width - 2 * pad) * i) / n;
  const y = (v: number): number => height - pad - ((height - 2 * pad) * (v - lo)) / Math.max(1e-9, hi - lo);
  const line = stepLoss.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const perEpoch = stepLoss.length / Math.max(1, heldOut.length);
  const dots = heldOut.map((v, e) => `<circle cx="${x(Math.round((e + 1) * perEpoch) - 1).toFixed(1)}" cy="${y(v).toFixed(1)}" r="4" fill="#d62728"><title>held-out ${v.toFixed(3)}</title></circle>`).join('');
  const ticks = [lo, (lo + hi) / 2, hi].map((v) => `<text x="4" y="${(y(v) + 4).toFixed(1)}" font-size="11">${v.toFixed(2)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#888"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#888"/>
${ticks}<text x="${width / 2}" y="${height - 8}" font-size="12" text-anchor="middle">training step (line: training loss; dots: held-out, per epoch)</text>
<polyline points="${line}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>${dots}
</svg>`;
}

/** Writes OUT/report.html (self-contained: settings, loss chart, samples) and returns its path. */
export function writeCharRnnReport(outDir: string, input: CharRnnReportInput): string {
  const path = join(outDir, 'report.html');
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>nabla char-rnn</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}th{text-align:left;padding-right:1em}pre{background:#f4f4f4;padding:1em;white-space:pre-wrap}</style></head>
<body><h1>Character-level LSTM language model</h1>
<p>Trained with nabla ${escape(nb.version)}. Cross-entropy is per character on the held-out end of the text.</p>
<table>${input.settings.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n')}</table>
<h2>Loss (nats per character)</h2>
${lossChartSvg(input.stepLoss, input.heldOutNats)}
<h2>Samples</h2>
${input.samples.map((s) => `<h3>temperature ${s.temperature}</h3><pre>${escape(s.text)}</pre>`).join('\n')}
</body></html>
`;
  writeFileSync(path, html);
  return path;
}
