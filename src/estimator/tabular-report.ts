// Report plots of `nabla estimator train`: the test confusion matrix (classifiers) and predicted
// vs. actual (regressors), rendered with the same Vega-Lite -> SVG -> PNG path as the MNIST report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

/** Writes modelDir/confusion-matrix.png; returns the file name. */
export async function writeConfusionPng(dir: string, truth: readonly number[], predicted: readonly number[], nClasses: number): Promise<string> {
  const charts = await import('../apps/mnist/charts.js');
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  truth.forEach((t, i) => m[t]![predicted[i]!]!++);
  const names = Array.from({ length: nClasses }, (_, i) => String(i));
  const png = charts.svgToPng(await charts.vegaLiteToSvg(charts.confusionSpec(m, names)));
  writeFileSync(join(dir, 'confusion-matrix.png'), png);
  return 'confusion-matrix.png';
}

/** Writes modelDir/predicted-vs-actual.png; returns the file name. */
export async function writePredictedVsActualPng(dir: string, actual: readonly number[], predicted: readonly number[]): Promise<string> {
  const charts = await import('../apps/mnist/charts.js');
  const values = actual.map((a, i) => ({ actual: a, predicted: predicted[i]! }));
  const lo = Math.min(...actual, ...predicted);
  const hi = Math.max(...actual, ...predicted);
  const spec: TopLevelSpec = {
    title: 'Predicted vs. actual (test set)',
    width: 260,
    height: 260,
    layer: [
      { data: { values: [{ actual: lo, predicted: lo }, { actual: hi, predicted: hi }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'actual', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative' } } },
      { data: { values }, mark: { type: 'point', filled: true, opacity: 0.7 }, encoding: { x: { field: 'actual', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative' } } },
    ],
  };
  writeFileSync(join(dir, 'predicted-vs-actual.png'), charts.svgToPng(await charts.vegaLiteToSvg(spec)));
  return 'predicted-vs-actual.png';
}
