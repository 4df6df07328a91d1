import { timestampedRunDir } from '../apps/common/run-dir.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { trainCycleGan } from '../apps/cyclegan/train.js';
import { intFlag, numberFlag, parseCommand, printJson } from './args.js';

const COMMAND = 'nabla train cyclegan';

export const TRAIN_CYCLEGAN_HELP = `Usage: nabla train cyclegan [options]

Trains CycleGAN for unpaired image-to-image translation: two ResNet-style generators (A->B and
B->A) and two PatchGAN discriminators with InstanceNormalization, the least-squares adversarial
loss, cycle consistency (lambda 10), identity loss and a pool of 50 past fakes; Adam 2e-4, beta1
0.5. Images are read as 28x28 grayscale.

Options:
  --data-a DIR        folder of domain A images (PNG/JPEG); with --data-b
  --data-b DIR        folder of domain B images
  --dataset NAME      without folders: translate between two classes of fashion-mnist, mnist or
                      digits (default: fashion-mnist if found, else digits)
  --class-a N         class of domain A (default 7, sneaker; digits: 1)
  --class-b N         class of domain B (default 9, ankle boot; digits: 7)
  --limit N           training images per domain (default 2000)
  --epochs N          epochs (default 5)
  --batch-size N      images per domain per step (default 8)
  --filters N         base filters (default 32)
  --res-blocks N      residual blocks per generator (default 3)
  --lambda-cycle X    weight of the cycle-consistency L1 loss (default 10)
  --lambda-identity X identity L1 weight as a fraction of lambda-cycle (default 0.5 for folders,
                      0.1 between dataset classes, whose translation changes shape; 0: off)
  --lr X              Adam learning rate (default 0.0002)
  --seed N            seed (default 42)
  --out DIR           output folder (default runs/cyclegan-<timestamp>)
  --json              end the output with one line holding a JSON object of the figures
${dashboardHelp(22)}  -h, --help          print this help

Measures, on held-out images: the cycle reconstruction error mean |x - F(G(x))| (pixels 0..1)
and, for dataset classes, the share of translations that the Keras mnist_convnet classifier
(trained on the dataset) labels as the target class. Writes OUT/epoch-NNN.png (A, A->B, A->B->A,
B, B->A, B->A->B), OUT/progress.png, OUT/losses.png, OUT/generator_ab.nabla,
OUT/generator_ba.nabla, OUT/result.json and OUT/report.html.
`;

/** `nabla train cyclegan`. */
export async function trainCycleGanCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(COMMAND, args, {
    'data-a': { type: 'string' },
    'data-b': { type: 'string' },
    dataset: { type: 'string' },
    'class-a': { type: 'string' },
    'class-b': { type: 'string' },
    limit: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    filters: { type: 'string' },
    'res-blocks': { type: 'string' },
    lr: { type: 'string' },
    'lambda-cycle': { type: 'string' },
    'lambda-identity': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    ...DASHBOARD_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(TRAIN_CYCLEGAN_HELP);
    return;
  }
  const outDir = values.out ?? timestampedRunDir('cyclegan');
  const options = {
    dataA: values['data-a'],
    dataB: values['data-b'],
    dataset: values.dataset,
    classA: intFlag(COMMAND, 'class-a', values['class-a'], 0, 9),
    classB: intFlag(COMMAND, 'class-b', values['class-b'], 0, 9),
    limit: intFlag(COMMAND, 'limit', values.limit, 1),
    epochs: intFlag(COMMAND, 'epochs', values.epochs, 1, 100000),
    batchSize: intFlag(COMMAND, 'batch-size', values['batch-size'], 1, 4096),
    filters: intFlag(COMMAND, 'filters', values.filters, 1, 1024),
    resBlocks: intFlag(COMMAND, 'res-blocks', values['res-blocks'], 0, 64),
    learningRate: numberFlag(COMMAND, 'lr', values.lr),
    lambdaCycle: numberFlag(COMMAND, 'lambda-cycle', values['lambda-cycle']),
    lambdaIdentity: numberFlag(COMMAND, 'lambda-identity', values['lambda-identity']),
    seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 31 - 2),
    outDir,
  };
  await withRunDashboard(COMMAND, values, outDir, () => trainCycleGan(options), (result) => {
    if (values.json) printJson(result);
  });
}
