import { trainDcgan } from '../apps/dcgan/train.js';
import { trainGan } from '../apps/gan/train.js';
import type { GanRunResult } from '../apps/gan/run.js';
import { defaultGanOutDir } from '../apps/gan/run.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { intFlag, numberFlag, parseCommand, printJson, type FlagValues } from './args.js';

const COMMON = `Options:
%EXTRA%  --dataset NAME|DIR  fashion-mnist, mnist, digits (the 8x8 digits that ship with nabla, upscaled
                      to 28x28) or a folder of PNG/JPEG images. Default: fashion-mnist if found,
                      else digits
  --epochs N          epochs (default: %EPOCHS%)
  --batch-size N      images per step (default 64)
  --limit N           train on the first N images only
  --lr X              Adam learning rate (default 0.0002, beta1 0.5)
  --seed N            seed of the weights, noise and shuffling (default 42)
  --fid-samples N     images per FID-style score (default 500; 0: no score)
  --classifier MODEL  the score's classifier: a model saved by 'nabla train mnist' (default:
                      train the same mnist_convnet on the labelled training images, when labelled)
  --out DIR           output folder (default runs/%KIND%-<timestamp>)
  --json              end the output with one line holding a JSON object of the figures
%DASHBOARD%  -h, --help          print this help

Writes OUT/epoch-NNN.png (a grid of 64 samples of a fixed noise batch after every epoch),
OUT/progress.png (one row per epoch), OUT/samples.gif (the grids, one frame per epoch), OUT/losses.png and OUT/fid.png (curves), OUT/generator.nabla
(sample it with 'nabla generate OUT/generator.nabla -n 64 -o grid.png'), OUT/result.json and
OUT/report.html. The FID-style score is the Fréchet distance between the penultimate-layer
features of the mnist_convnet classifier for real test images and generated ones (lower is
better): a domain-specific FID, not the Inception FID.
`;

export const TRAIN_GAN_HELP = `Usage: nabla train gan [options]

Trains the basic GAN in the Keras pattern: an MLP generator from noise, an MLP discriminator
compiled with binary cross-entropy, and a combined model with the discriminator frozen; each
step runs D.trainOnBatch(real, ones), D.trainOnBatch(G.predict(noise), zeros) and
combined.trainOnBatch(noise, ones).

${COMMON.replace('%EPOCHS%', '20').replace('%KIND%', 'gan').replace('%DASHBOARD%', dashboardHelp(22)).replace('%EXTRA%', '')}`;

export const TRAIN_DCGAN_HELP = `Usage: nabla train dcgan [options]

Trains DCGAN as the TensorFlow tutorial does: a Dense -> Reshape -> Conv2DTranspose generator with
BatchNormalization and LeakyReLU ending in tanh, a strided-conv discriminator with LeakyReLU and
Dropout, and a custom GradientTape step (Adam 2e-4, beta1 0.5).

${COMMON.replace('%EPOCHS%', '10').replace('%KIND%', 'dcgan').replace('%DASHBOARD%', dashboardHelp(22)).replace(
  '%EXTRA%',
  '  --filters N         base filters f (default 64, the tutorial: generator 4f, 2f, f;\n                      discriminator f, 2f); smaller is faster\n',
)}`;

const FLAGS = {
  dataset: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  limit: { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  'fid-samples': { type: 'string' },
  classifier: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  ...DASHBOARD_OPTIONS,
} as const;

function common(command: string, kind: 'gan' | 'dcgan', values: Record<string, string | boolean | undefined>) {
  return {
    dataset: values['dataset'] as string | undefined,
    epochs: intFlag(command, 'epochs', values['epochs'] as string | undefined, 1, 100000),
    batchSize: intFlag(command, 'batch-size', values['batch-size'] as string | undefined, 1, 1 << 16),
    limit: intFlag(command, 'limit', values['limit'] as string | undefined, 1),
    learningRate: numberFlag(command, 'lr', values['lr'] as string | undefined),
    seed: intFlag(command, 'seed', values['seed'] as string | undefined, 0, 2 ** 31 - 2),
    fidSamples: intFlag(command, 'fid-samples', values['fid-samples'] as string | undefined, 0, 10000),
    classifierPath: values['classifier'] as string | undefined,
    outDir: (values['out'] as string | undefined) ?? defaultGanOutDir(kind),
  };
}

/** Trains under the --dashboard flag's dashboard and prints the figures. */
async function run(command: string, values: FlagValues<typeof FLAGS>, outDir: string, train: () => Promise<GanRunResult>): Promise<void> {
  await withRunDashboard(command, values, outDir, train, (result) => {
    if (values.json) printJson(result);
  });
}

/** `nabla train gan`. */
export async function trainGanCommand(args: string[]): Promise<void> {
  const command = 'nabla train gan';
  const { values } = parseCommand(command, args, FLAGS);
  if (values.help) {
    process.stdout.write(TRAIN_GAN_HELP);
    return;
  }
  const options = common(command, 'gan', values);
  await run(command, values, options.outDir, () => trainGan(options));
}

/** `nabla train dcgan`. */
export async function trainDcganCommand(args: string[]): Promise<void> {
  const command = 'nabla train dcgan';
  const { values } = parseCommand(command, args, { ...FLAGS, filters: { type: 'string' } });
  if (values.help) {
    process.stdout.write(TRAIN_DCGAN_HELP);
    return;
  }
  const options = { ...common(command, 'dcgan', values), filters: intFlag(command, 'filters', values.filters, 1, 1024) };
  await run(command, values, options.outDir, () => trainDcgan(options));
}
