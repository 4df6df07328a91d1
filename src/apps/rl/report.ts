// The run's outputs: returns-per-episode plot (PNG) and an HTML report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { svgToPng, vegaLiteToSvg } from '../mnist/charts.js';

/** Returns per episode with the running mean of the last 100. */
export function returnsSpec(returns: readonly number[], title: string): TopLevelSpec {
  const values: { episode: number; value: number; series: string }[] = [];
  let sum = 0;
  returns.forEach((r, i) => {
    sum += r - (i >= 100 ? returns[i - 100]! : 0);
    values.push({ episode: i + 1, value: r, series: 'return' });
    values.push({ episode: i + 1, value: sum / Math.min(i + 1, 100), series: 'mean of last 100' });
  });
  return {
    title,
    width: 560,
    height: 260,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 'episode', type: 'quantitative', title: 'episode' },
      y: { field: 'value', type: 'quantitative', title: 'return' },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['return', 'mean of last 100'], range: ['#9ecae1', '#d62728'] } },
    },
  };
}

export interface RlReportInput {
  title: string;
  returns: readonly number[];
  settings: readonly [string, string][];
  figures: Record<string, unknown>;
}

/** Writes OUT/returns.png (when there are episodes) and OUT/report.html; returns the report's path. */
export async function writeRlReport(outDir: string, input: RlReportInput): Promise<string> {
  let plot = '';
  if (input.returns.length > 0) {
    writeFileSync(join(outDir, 'returns.png'), svgToPng(await vegaLiteToSvg(returnsSpec(input.returns, 'Return per training episode'))));
    plot = '<img src="returns.png" alt="returns per episode" style="max-width:100%">';
  }
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n');
  const figures = Object.entries(input.figures).map(([k, v]): [string, string] => [k, typeof v === 'number' ? String(Number(v.toFixed(4))) : JSON.stringify(v)]);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}th{text-align:left;padding-right:1em}td,th{border-bottom:1px solid #ddd;padding:3px}</style></head>
<body><h1>${esc(input.title)}</h1>${plot}<h2>Results</h2><table>${rows(figures)}</table><h2>Settings</h2><table>${rows([...input.settings])}</table></body></html>\n`;
  const path = join(outDir, 'report.html');
  writeFileSync(path, html);
  return path;
}
