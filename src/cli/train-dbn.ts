import * as nb from '../index.js';
import { DBN_DATASETS, DBN_DEFAULTS, trainDbn } from '../apps/dbn/train.js';
import { choiceFlag, intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';
import { withExitStatus } from './exit-status.js';
import { timestampedRunDir } from '../apps/common/run-dir.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';

const COMMAND = 'nabla train dbn';

export const TRAIN_DBN_HELP = `Usage: nabla train dbn [options]

Pre-trains a deep belief network (a stack of Bernoulli RBMs, trained greedily layer by layer with
contrastive divergence) on images, unrolls it into a Keras Sequential classifier (Dense sigmoid
layers holding the RBM weights, then Dense softmax), fine-tunes it with backprop, trains the same
classifier from random init with the same epochs and seed, and reports both test accuracies.

Options:
  --dataset NAME         fashion-mnist or digits. Default: fashion-mnist if found, else the
                         UCI 8x8 digits that ship with nabla
  --data-dir DIR         folder holding the dataset's files, instead of searching (needs --dataset)
  --layers LIST          hidden units per RBM, bottom first (default ${DBN_DEFAULTS.layers.join(',')})
  --pretrain-epochs N    CD epochs per RBM (default ${DBN_DEFAULTS.pretrainEpochs})
  --finetune-epochs N    backprop epochs of each classifier (default ${DBN_DEFAULTS.finetuneEpochs})
  --cd-k N               Gibbs steps per CD update (default ${DBN_DEFAULTS.k})
  --persistent           persistent CD (fantasy chains kept across minibatches)
  --lr X                 CD learning rate (default ${DBN_DEFAULTS.learningRate})
  --batch-size N         minibatch size (default ${DBN_DEFAULTS.batchSize})
  --limit N              train on the first N training images (default ${DBN_DEFAULTS.limit})
  --seed N               seed of weights, sampling and shuffling (default ${DBN_DEFAULTS.seed})
  --out DIR              output folder (default runs/dbn-<timestamp>)
  --json                 end the output with one line holding a JSON object of the figures
${dashboardHelp(25)}  -h, --help             print this help

Fashion-MNIST is the four IDX files (train-images-idx3-ubyte.gz, ...) in
$NABLA_DATA_DIR/fashion-mnist/, ~/.nabla/datasets/fashion-mnist/ or /usr/share/datasets/fashion-mnist
(Debian's dataset-fashion-mnist).

Writes OUT/filters.png (first RBM's weights), OUT/gibbs.png (Gibbs chains of the first RBM),
OUT/dbn-samples.png (top-level chains passed down), OUT/reconstruction.png, OUT/finetune.png and
OUT/report.html.
`;

/**
 * Parses `--layers 256,128` into positive integers; a UsageError for anything else.
 *
 * @example
 * ```ts
 * parseLayers('256,128');   // [256, 128]
 * ```
 */
export function parseLayers(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.some((p) => p === '') || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 100000)) {
    throw new UsageError(`${COMMAND}: --layers must be a comma-separated list of positive integers such as 256,128; got '${value}'.`);
  }
  return sizes;
}

/**
 * `nabla train dbn`: parses the flags, runs {@link trainDbn} and prints its figures (with `--json`,
 * one JSON line last). Returns the exit status: 0 on success, 2 for a command-line mistake, 1 when
 * the work fails (e.g. missing data); the message goes to stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await trainDbnCommand(['--dataset', 'digits', '--layers', '64', '--json']);
 * ```
 */
export async function trainDbnCommand(args: string[]): Promise<number> {
  return withExitStatus(async () => {
    const { values } = parseCommand(COMMAND, args, {
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      layers: { type: 'string' },
      'pretrain-epochs': { type: 'string' },
      'finetune-epochs': { type: 'string' },
      'cd-k': { type: 'string' },
      persistent: { type: 'boolean' },
      lr: { type: 'string' },
      'batch-size': { type: 'string' },
      limit: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      ...DASHBOARD_OPTIONS,
    });
    if (values.help) {
      process.stdout.write(TRAIN_DBN_HELP);
      return 0;
    }
    if (values['data-dir'] !== undefined && values.dataset === undefined) {
      throw new UsageError(`${COMMAND}: --data-dir needs --dataset to say which dataset the folder holds.`);
    }
    const lr = numberFlag(COMMAND, 'lr', values.lr);
    if (lr !== undefined && lr <= 0) throw new UsageError(`${COMMAND}: --lr must be a positive number, got '${values.lr}'.`);
    const options = {
      dataset: choiceFlag(COMMAND, 'dataset', values.dataset, DBN_DATASETS),
      dataPath: values['data-dir'],
      layers: parseLayers(values.layers),
      pretrainEpochs: intFlag(COMMAND, 'pretrain-epochs', values['pretrain-epochs'], 1, 100000),
      finetuneEpochs: intFlag(COMMAND, 'finetune-epochs', values['finetune-epochs'], 1, 100000),
      k: intFlag(COMMAND, 'cd-k', values['cd-k'], 1, 1000),
      persistent: values.persistent ?? false,
      learningRate: lr,
      batchSize: intFlag(COMMAND, 'batch-size', values['batch-size'], 1, 1 << 20),
      limit: intFlag(COMMAND, 'limit', values.limit, 1),
      seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 32 - 1),
      outDir: values.out ?? timestampedRunDir('dbn'),
    };
    const start = performance.now();
    await withRunDashboard(COMMAND, values, options.outDir, () => trainDbn(options), (result) => {
      const seconds = (performance.now() - start) / 1000;
      console.log(`Total time ${seconds.toFixed(1)}s`);
      if (values.json) printJson({ ...result, seconds });
    });
  });
}
