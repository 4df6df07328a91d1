// Charts of the training report: Vega-Lite specs rendered headlessly to SVG by Vega, and SVG
// rasterised to PNG by resvg with the DejaVu Sans font that ships as an npm package (so text
// renders the same on a machine without system fonts). Loaded only when a report is written.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

const FONT = 'DejaVu Sans';
let fontFiles: string[] | null = null;

function shippedFonts(): string[] {
  if (!fontFiles) {
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontFiles = [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
  }
  return fontFiles;
}

/** Rasterises an SVG document to PNG bytes at `scale` times its size. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: false, fontFiles: shippedFonts(), defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return resvg.render().asPng();
}

/** Renders a Vega-Lite spec to an SVG document, without a browser. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const config = { font: FONT, background: 'white' };
  const compiled = vl.compile({ ...spec, config: { ...config, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Line chart of one figure per epoch, training and validation, e.g. loss or accuracy. */
export function curveSpec(history: Record<string, number[]>, key: string, title: string): TopLevelSpec {
  const values: { epoch: number; value: number; split: string }[] = [];
  for (const [name, split] of [[key, 'train'], [`val_${key}`, 'validation']] as const) {
    (history[name] ?? []).forEach((value, i) => values.push({ epoch: i + 1, value, split }));
  }
  const epochs = Math.max(1, ...values.map((v) => v.epoch));
  return {
    title,
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [1, Math.max(2, epochs)] }, axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: key, scale: { zero: key !== 'accuracy' ? true : false } },
      color: { field: 'split', type: 'nominal', title: null, sort: ['train', 'validation'] },
    },
  };
}

/** Heat map of a confusion matrix with the count in each cell. */
export function confusionSpec(confusion: number[][], classNames: readonly string[], title = 'Confusion matrix (test set)'): TopLevelSpec {
  const values = confusion.flatMap((row, t) => row.map((count, p) => ({ truth: classNames[t]!, predicted: classNames[p]!, count })));
  const max = Math.max(1, ...values.map((v) => v.count));
  const order = [...classNames];
  return {
    title,
    data: { values },
    width: 36 * classNames.length,
    height: 36 * classNames.length,
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted', axis: { labelAngle: -45 } },
      y: { field: 'truth', type: 'ordinal', sort: order, title: 'true' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', type: 'sqrt' }, legend: null } },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}
