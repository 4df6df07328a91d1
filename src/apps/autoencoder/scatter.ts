// The VAE's latent means of test images as a scatter coloured by class (Vega-Lite, rendered to
// PNG by the same chart helpers as the classifier reports).
import type { TopLevelSpec } from 'vega-lite';
import type * as nb from '../../index.js';
import { svgToPng, vegaLiteToSvg } from '../mnist/charts.js';

/**
 * A Vega-Lite scatter of the first two latent dimensions of `zMean` [n, latentDim], one colour
 * per class.
 *
 * @example
 * ```ts
 * const png = await latentScatterPng(latentScatterSpec(zMean, labels, classNames));
 * ```
 */
export function latentScatterSpec(zMean: nb.Tensor, labels: ArrayLike<number>, classNames: readonly string[], title = 'Latent means of test images'): TopLevelSpec {
  const d = zMean.shape[1]!;
  const v = zMean.dataSync();
  const values = Array.from({ length: zMean.shape[0]! }, (_, i) => ({
    z1: v[i * d]!,
    z2: d > 1 ? v[i * d + 1]! : 0,
    label: classNames[labels[i]!] ?? String(labels[i]),
  }));
  return {
    title,
    width: 420,
    height: 420,
    data: { values },
    mark: { type: 'point', filled: true, size: 12, opacity: 0.6 },
    encoding: {
      x: { field: 'z1', type: 'quantitative', title: 'z[0]' },
      y: { field: 'z2', type: 'quantitative', title: d > 1 ? 'z[1]' : '(one latent dimension)' },
      color: { field: 'label', type: 'nominal', title: 'class', sort: [...classNames], scale: { scheme: 'category10' } },
    },
  };
}

/**
 * Renders a scatter spec to PNG bytes.
 *
 * @example
 * ```ts
 * writeFileSync('scatter.png', await latentScatterPng(latentScatterSpec(zMean, labels, names)));
 * ```
 */
export async function latentScatterPng(spec: TopLevelSpec): Promise<Buffer> {
  return svgToPng(await vegaLiteToSvg(spec));
}
