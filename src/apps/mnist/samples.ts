import * as nb from '../../index.js';
import { encodePng } from '../../data/image/index.js';

export interface SampleTile {
  /** One image, float32 [1, h, w, c] (or [h, w, c]) with 1 (grayscale) or 3 (RGB) channels, 0..255. */
  image: nb.Tensor;
  truth: string;
  predicted: string;
  probability: number;
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An SVG page of test images in a grid, each with its predicted label and probability above the
 * true label; misclassified images get a red border. The images are PNG data URIs scaled up
 * without smoothing.
 */
export function samplesSvg(tiles: SampleTile[], columns = 8): string {
  const size = 84;
  const cellW = 116;
  const cellH = size + 44;
  const rows = Math.ceil(tiles.length / columns);
  const width = columns * cellW + 16;
  const height = rows * cellH + 16;
  const parts = tiles.map((t, i) => {
    const x = 8 + (i % columns) * cellW + (cellW - size) / 2;
    const y = 8 + Math.floor(i / columns) * cellH + 4;
    const cx = x + size / 2;
    const [h, w, c] = t.image.shape.slice(-3) as [number, number, number];
    const pixels = nb.cast(nb.clipByValue(nb.round(nb.reshape(t.image, [h, w, c])), 0, 255), 'int32');
    const uri = `data:image/png;base64,${Buffer.from(encodePng(pixels)).toString('base64')}`;
    const wrong = t.truth !== t.predicted;
    return [
      `<image x="${x}" y="${y}" width="${size}" height="${size}" preserveAspectRatio="none" image-rendering="optimizeSpeed" href="${uri}"/>`,
      `<rect x="${x - 2}" y="${y - 2}" width="${size + 4}" height="${size + 4}" fill="none" stroke="${wrong ? '#dc2626' : '#d4d4d4'}" stroke-width="${wrong ? 4 : 1}"/>`,
      `<text x="${cx}" y="${y + size + 17}" text-anchor="middle" font-size="12" fill="${wrong ? '#dc2626' : '#111'}"${wrong ? ' font-weight="bold"' : ''}>${escape(t.predicted)} ${t.probability.toFixed(2)}</text>`,
      `<text x="${cx}" y="${y + size + 32}" text-anchor="middle" font-size="11" fill="#666">true: ${escape(t.truth)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="white"/>${parts.join('\n')}</svg>`;
}
