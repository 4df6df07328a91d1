// `nabla train cyclegan`: unpaired translation between two folders of images (A/ and B/), or two
// classes of a named dataset (default: Fashion-MNIST sneaker <-> ankle boot), with the cycle
// reconstruction error and a classifier's share of translations labelled as the target class.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as nb from '../../index.js';
import { appWriter } from '../common/run-logger.js';
import { timestampedRunDir } from '../common/run-dir.js';
import { toPixels } from '../gan/data.js';
import { trainScoreClassifier } from '../gan/fid.js';
import { writeGanReport } from '../gan/report.js';
import { loadDomains, rows } from './data.js';
import { buildCycleGan, cycleError, cycleGanTrainStep, type CycleGan, type CycleGanOptions } from './model.js';

export interface CycleGanTrainOptions extends CycleGanOptions {
  /** Folders of unpaired images of the two domains (PNG/JPEG, any size; read as 28x28 grayscale). */
  dataA?: string;
  dataB?: string;
  /** Without folders: a named dataset ('fashion-mnist', 'mnist', 'digits') and its two classes. */
  dataset?: string;
  classA?: number;
  classB?: number;
  /** Images per domain (default 2000). */
  limit?: number;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Held-out images per domain for the measures (default 200). */
  evalSamples?: number;
  /** Output folder (default runs/cyclegan-<timestamp>); null writes nothing. */
  outDir?: string | null;
  log?: (line: string) => void;
}

/** The figures of a CycleGAN run (the JSON line of `nabla train cyclegan --json`). */
export interface CycleGanResult {
  model: 'cyclegan';
  dataA: string;
  dataB: string;
  backend: string;
  epochs: number;
  batchSize: number;
  seed: number;
  imagesA: number;
  imagesB: number;
  steps: number;
  trainSeconds: number;
  secondsPerStep: number;
  final: Record<string, number>;
  history: Record<string, number[]>;
  /** Mean absolute A -> B -> A and B -> A -> B reconstruction error, pixel scale 0..1, held-out images. */
  cycleErrorA: number;
  cycleErrorB: number;
  cycleErrorInitial: number;
  /** Share of translated held-out images the classifier labels as the target class (null without classes). */
  targetAccuracyAB: number | null;
  targetAccuracyBA: number | null;
  /** The same share for untranslated images (the baseline). */
  targetAccuracyBaseline: number | null;
  classifierTestAccuracy: number | null;
  outDir: string | null;
  generatorPaths: string[];
  reportPath: string | null;
}

/** Share of images the classifier puts in class `k`. */
function shareOfClass(classifier: nb.keras.Model, images: nb.Tensor, k: number): number {
  const pred = nb.argMax(classifier.predict(toPixels(images), { batchSize: 256 }) as nb.Tensor, 1).dataSync();
  let hits = 0;
  for (const p of pred) if (p === k) hits++;
  return hits / Math.max(1, pred.length);
}

function translationGrid(m: CycleGan, a: nb.Tensor, b: nb.Tensor): nb.Tensor {
  const fakeB = m.gAB.predict(a) as nb.Tensor;
  const fakeA = m.gBA.predict(b) as nb.Tensor;
  return nb.data.image.montage(toPixels(nb.concat([a, fakeB, m.gBA.predict(fakeB) as nb.Tensor, b, fakeA, m.gAB.predict(fakeA) as nb.Tensor], 0)), {
    columns: a.shape[0]!,
    padding: 2,
    background: 96,
  });
}

/**
 * Trains CycleGAN on two unpaired domains and measures it: the cycle reconstruction error on
 * held-out images and, for labelled data, the share of translations a classifier (the Keras
 * mnist_convnet trained on the dataset) labels as the target class.
 *
 * @example
 * ```ts
 * const r = await trainCycleGan({dataset: 'fashion-mnist', epochs: 3, outDir: 'runs/cyclegan'});
 * console.log(r.cycleErrorA, r.targetAccuracyAB);   // sneaker -> ankle boot
 * ```
 */
export async function trainCycleGan(o: CycleGanTrainOptions = {}): Promise<CycleGanResult> {
  const log = o.log ?? ((line: string) => console.log(line));
  const seed = o.seed ?? 42;
  const evalSamples = o.evalSamples ?? 200;
  nb.setSeed(seed);
  const dom = loadDomains(o, evalSamples);
  const nA = dom.trainA.shape[0]!;
  const nB = dom.trainB.shape[0]!;
  const batchSize = Math.min(o.batchSize ?? 8, nA, nB);
  const epochs = o.epochs ?? 5;
  log(`CycleGAN: A = ${dom.nameA} (${nA} images), B = ${dom.nameB} (${nB} images); backend ${nb.getBackend()}; epochs ${epochs}, batch size ${batchSize}, seed ${seed}`);

  let classifier: nb.keras.Model | null = null;
  let classifierTestAccuracy: number | null = null;
  if (dom.classifierData && dom.classes) {
    const t0 = performance.now();
    const c = await trainScoreClassifier(dom.classifierData.train, dom.classifierData.test);
    classifier = c.model;
    classifierTestAccuracy = c.testAccuracy;
    log(`Trained the measuring classifier (mnist_convnet) in ${((performance.now() - t0) / 1000).toFixed(1)} s, test accuracy ${((c.testAccuracy ?? 0) * 100).toFixed(1)}%`);
  }
  nb.setSeed(seed);
  // Between dataset classes the translation changes shape (sneaker -> boot), which a strong
  // identity loss holds back; folders keep the paper's 0.5.
  const lambdaIdentity = o.lambdaIdentity ?? (dom.classes ? 0.1 : 0.5);
  const m = buildCycleGan({ ...o, lambdaIdentity });
  const showA = rows(dom.testA, 0, 8);
  const showB = rows(dom.testB, 0, 8);
  const initial = cycleError(m, dom.testA, dom.testB);
  const cycleErrorInitial = (initial.a + initial.b) / 2;
  const targetAccuracyBaseline = classifier && dom.classes ? (shareOfClass(classifier, dom.testA, dom.classes[1]) + shareOfClass(classifier, dom.testB, dom.classes[0])) / 2 : null;

  const outDir = o.outDir === null ? null : resolve(o.outDir ?? timestampedRunDir('cyclegan'));
  if (outDir) mkdirSync(outDir, { recursive: true });
  const summary = outDir ? appWriter(outDir, { dataset: `${dom.nameA} <-> ${dom.nameB}`, model: 'cyclegan', hyperParameters: { epochs, batchSize, seed, lambdaIdentity } }) : null;
  let globalStep = 0;
  const history: Record<string, number[]> = {};
  const progressRows: nb.Tensor[] = [];
  const steps = Math.floor(Math.min(nA, nB) / batchSize);
  let trainSeconds = 0;
  const rest = dom.trainA.shape.slice(1);
  const zeros = rest.map(() => 0);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const xa = nb.gather(dom.trainA, nb.randomShuffle(nb.range(0, nA, 1, 'int32')));
    const xb = nb.gather(dom.trainB, nb.randomShuffle(nb.range(0, nB, 1, 'int32')));
    const sums: Record<string, number> = {};
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) {
      const figures = cycleGanTrainStep(m, nb.slice(xa, [s * batchSize, ...zeros], [batchSize, ...rest]), nb.slice(xb, [s * batchSize, ...zeros], [batchSize, ...rest]));
      for (const [k, v] of Object.entries(figures)) sums[k] = (sums[k] ?? 0) + v;
      if (summary && ++globalStep % 10 === 0) for (const [k, v] of Object.entries(figures)) summary.scalar(`step_${k}`, v, globalStep);
    }
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    for (const [k, v] of Object.entries(sums)) (history[k] ??= []).push(v / steps);
    const err = cycleError(m, dom.testA, dom.testB);
    (history['cycleErrorA'] ??= []).push(err.a);
    (history['cycleErrorB'] ??= []).push(err.b);
    if (classifier && dom.classes) {
      (history['targetAccuracyAB'] ??= []).push(shareOfClass(classifier, m.gAB.predict(dom.testA, { batchSize: 128 }) as nb.Tensor, dom.classes[1]));
      (history['targetAccuracyBA'] ??= []).push(shareOfClass(classifier, m.gBA.predict(dom.testB, { batchSize: 128 }) as nb.Tensor, dom.classes[0]));
    }
    progressRows.push(m.gAB.predict(showA) as nb.Tensor);
    if (outDir && summary) {
      const grid = translationGrid(m, showA, showB);
      nb.data.image.writeImage(join(outDir, `epoch-${String(epoch).padStart(3, '0')}.png`), grid);
      for (const [k, v] of Object.entries(history)) summary.scalar(`epoch_${k}`, v.at(-1)!, epoch);
      summary.image('translations', nb.div(nb.cast(grid, 'float32'), 255), epoch);
      summary.flush();
    }
    log(`Epoch ${epoch}/${epochs}: ${Object.entries(history).map(([k, v]) => `${k} ${v.at(-1)!.toFixed(4)}`).join(', ')} (${seconds.toFixed(1)} s, ${((seconds / steps) * 1000).toFixed(0)} ms/step)`);
  }
  summary?.close();
  const final = Object.fromEntries(Object.entries(history).map(([k, v]) => [k, v.at(-1)!]));
  const result: CycleGanResult = {
    model: 'cyclegan',
    dataA: dom.nameA,
    dataB: dom.nameB,
    backend: nb.getBackend(),
    epochs,
    batchSize,
    seed,
    imagesA: nA,
    imagesB: nB,
    steps: steps * epochs,
    trainSeconds,
    secondsPerStep: trainSeconds / Math.max(1, steps * epochs),
    final,
    history,
    cycleErrorA: final['cycleErrorA']!,
    cycleErrorB: final['cycleErrorB']!,
    cycleErrorInitial,
    targetAccuracyAB: final['targetAccuracyAB'] ?? null,
    targetAccuracyBA: final['targetAccuracyBA'] ?? null,
    targetAccuracyBaseline,
    classifierTestAccuracy,
    outDir,
    generatorPaths: [],
    reportPath: null,
  };
  log(`Cycle reconstruction error (0..1 pixels): ${cycleErrorInitial.toFixed(4)} untrained -> A ${result.cycleErrorA.toFixed(4)}, B ${result.cycleErrorB.toFixed(4)}`);
  if (result.targetAccuracyAB !== null) {
    log(`Translations labelled as the target class: A->B ${(result.targetAccuracyAB * 100).toFixed(1)}%, B->A ${(result.targetAccuracyBA! * 100).toFixed(1)}% (untranslated: ${(targetAccuracyBaseline! * 100).toFixed(1)}%)`);
  }
  if (outDir) {
    result.generatorPaths = [join(outDir, 'generator_ab.nabla'), join(outDir, 'generator_ba.nabla')];
    m.gAB.save(result.generatorPaths[0]!);
    m.gBA.save(result.generatorPaths[1]!);
    nb.data.image.writeImage(join(outDir, 'progress.png'), nb.data.image.montage(toPixels(nb.concat([showA, ...progressRows], 0)), { columns: showA.shape[0]!, padding: 2, background: 96 }));
    const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
    result.reportPath = await writeGanReport(outDir, {
      title: `CycleGAN: ${dom.nameA} <-> ${dom.nameB}`,
      settings: [
        ['domain A', `${dom.nameA} (${nA} training images)`],
        ['domain B', `${dom.nameB} (${nB} training images)`],
        ['backend', nb.getBackend()],
        ['generators', `ResNet-style: conv 7x7 ${o.filters ?? 32}, conv 3x3/2 ${2 * (o.filters ?? 32)}, ${o.resBlocks ?? 3} residual blocks, transposed conv 3x3/2, conv 7x7 tanh; InstanceNormalization + ReLU`],
        ['discriminators', 'PatchGAN (7x7 map of scores), InstanceNormalization, LeakyReLU 0.2'],
        ['losses', `LSGAN; cycle consistency L1 x ${o.lambdaCycle ?? 10}; identity L1 x ${(o.lambdaCycle ?? 10) * lambdaIdentity}; image pool of ${o.poolSize ?? 50}`],
        ['optimizer', `Adam, learning rate ${o.learningRate ?? 2e-4}, beta1 0.5`],
        ['epochs', String(epochs)],
        ['batch size', String(batchSize)],
        ['steps', `${result.steps} (${(result.secondsPerStep * 1000).toFixed(0)} ms per step)`],
        ['cycle error', `A->B->A ${result.cycleErrorA.toFixed(4)}, B->A->B ${result.cycleErrorB.toFixed(4)} (untrained ${cycleErrorInitial.toFixed(4)}); mean |x - F(G(x))| on ${dom.testA.shape[0]} + ${dom.testB.shape[0]} held-out images, pixels 0..1`],
        ['labelled as target class', `A->B ${pct(result.targetAccuracyAB)}, B->A ${pct(result.targetAccuracyBA)}; untranslated ${pct(targetAccuracyBaseline)}; classifier test accuracy ${pct(classifierTestAccuracy)}`],
      ],
      history,
      lossKeys: ['gAdv', 'cycle', 'identity', 'dALoss', 'dBLoss'],
      fidInitial: null,
      note: 'The cycle error is the mean absolute difference between held-out images and their round trip through both generators (pixels 0..1); the target-class share is how many translated held-out images the Keras mnist_convnet, trained on the dataset, labels as the target class.',
      pictures: [
        [`epoch-${String(epochs).padStart(3, '0')}.png`, 'Rows: held-out A, A->B, A->B->A, held-out B, B->A, B->A->B (last epoch)'],
        ['progress.png', 'Top row: held-out A; then A->B after each epoch'],
      ],
    });
    writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(`Saved the generators to ${result.generatorPaths.join(' and ')}`);
    log(`Report: ${result.reportPath}`);
  }
  return result;
}
