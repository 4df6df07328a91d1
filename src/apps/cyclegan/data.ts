// The two unpaired domains of `nabla train cyclegan`: two folders of images, or two classes of a
// named dataset (default Fashion-MNIST sneaker <-> ankle boot), with held-out images.
import * as nb from '../../index.js';
import { defaultGanDataset, loadGanData, readImageFolder, toPixels } from '../gan/data.js';

/** Where the domains come from (a subset of the CycleGAN training options). */
export interface DomainOptions {
  dataA?: string;
  dataB?: string;
  dataset?: string;
  classA?: number;
  classB?: number;
  limit?: number;
}

/** The two domains: training and held-out images in [-1, 1], and for dataset classes what the measuring classifier trains on. */
export interface Domains {
  nameA: string;
  nameB: string;
  trainA: nb.Tensor;
  trainB: nb.Tensor;
  testA: nb.Tensor;
  testB: nb.Tensor;
  classes: [number, number] | null;
  classifierData: { train: [nb.Tensor, nb.Tensor]; test: [nb.Tensor, nb.Tensor] } | null;
}

const FASHION_DEFAULT: [number, number] = [7, 9]; // sneaker <-> ankle boot
const DIGITS_DEFAULT: [number, number] = [1, 7];

/** Rows [from, from + count) of a batch (clipped to its size). */
export const rows = (x: nb.Tensor, from: number, count: number): nb.Tensor => nb.slice(x, [from, 0, 0, 0], [Math.max(0, Math.min(count, x.shape[0]! - from)), ...x.shape.slice(1)]);

/** Reads the two folders, or picks two classes of a named dataset, holding out images for the measures. */
export function loadDomains(o: DomainOptions, evalSamples: number): Domains {
  const limit = o.limit ?? 2000;
  if (o.dataA !== undefined || o.dataB !== undefined) {
    if (o.dataA === undefined || o.dataB === undefined) {
      throw new nb.InvalidArgumentError('cyclegan: give both --data-a and --data-b (folders of unpaired images of the two domains).');
    }
    const a = readImageFolder(o.dataA, { op: 'cyclegan --data-a' });
    const b = readImageFolder(o.dataB, { op: 'cyclegan --data-b' });
    // Hold out the last images of each folder for the measures, when there are enough.
    const split = (x: nb.Tensor): [nb.Tensor, nb.Tensor] => {
      const n = x.shape[0]!;
      const held = n >= 8 ? Math.min(evalSamples, Math.floor(n / 4)) : 0;
      return held === 0 ? [rows(x, 0, limit), x] : [rows(x, 0, Math.min(limit, n - held)), rows(x, n - held, held)];
    };
    const [trainA, testA] = split(a);
    const [trainB, testB] = split(b);
    return { nameA: o.dataA, nameB: o.dataB, trainA, trainB, testA, testB, classes: null, classifierData: null };
  }
  const dataset = o.dataset ?? defaultGanDataset();
  const defaults = dataset === 'fashion-mnist' ? FASHION_DEFAULT : DIGITS_DEFAULT;
  const classes: [number, number] = [o.classA ?? defaults[0], o.classB ?? defaults[1]];
  if (classes[0] === classes[1]) throw new nb.InvalidArgumentError(`cyclegan: --class-a and --class-b must differ, both are ${classes[0]}.`);
  const all = loadGanData({ dataset });
  if (!all.labels || !all.test) throw new nb.InvalidArgumentError(`cyclegan: '${dataset}' has no labels; pass --data-a DIR --data-b DIR for folders of images.`);
  const pick = (x: nb.Tensor, labels: ArrayLike<number>, k: number, n: number): nb.Tensor => {
    const idx: number[] = [];
    for (let i = 0; i < labels.length && idx.length < n; i++) if (labels[i] === k) idx.push(i);
    if (idx.length === 0) throw new nb.InvalidArgumentError(`cyclegan: class ${k} has no images in ${dataset}; classes are 0..${(all.classNames?.length ?? 10) - 1}.`);
    return nb.gather(x, nb.tensor(idx, [idx.length], 'int32'));
  };
  const testLabels = all.test[1].dataSync();
  const testImages = nb.sub(nb.div(all.test[0], 127.5), 1);
  const name = (k: number): string => `${dataset} class ${k}${all.classNames ? ` (${all.classNames[k]})` : ''}`;
  const trainPixels = toPixels(all.images);
  return {
    nameA: name(classes[0]),
    nameB: name(classes[1]),
    trainA: pick(all.images, all.labels, classes[0], limit),
    trainB: pick(all.images, all.labels, classes[1], limit),
    testA: pick(testImages, testLabels, classes[0], evalSamples),
    testB: pick(testImages, testLabels, classes[1], evalSamples),
    classes,
    classifierData: { train: [trainPixels, nb.tensor(all.labels, [all.labels.length], 'int32')], test: all.test },
  };
}
