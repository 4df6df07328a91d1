import { AUTOENCODER_DATASETS } from '../apps/autoencoder/data.js';
import { AUTOENCODER_MODELS, trainAutoencoder } from '../apps/autoencoder/train.js';
import { timestampedRunDir } from '../apps/common/run-dir.js';
import { choiceFlag, intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { withExitStatus } from './exit-status.js';

const COMMAND = 'nabla train autoencoder';

export const TRAIN_AUTOENCODER_HELP = `Usage: nabla train autoencoder [options]

Trains an autoencoder on Fashion-MNIST, the unsupervised counterpart of the classifiers:
  conv  a convolutional autoencoder (strided Conv2D encoder to a 7x7 bottleneck, Conv2DTranspose
        decoder, sigmoid) trained with model.fit on binary cross-entropy; reports the test
        reconstruction error (MSE per pixel) next to that of predicting the mean image
  vae   a variational autoencoder (encoder -> zMean, zLogVar; z = mean + exp(logVar/2) * eps;
        decoder) trained with a GradientTape step on -ELBO = summed BCE per image + KL; reports
        the test ELBO and its reconstruction and KL parts (nats per image)

Options:
  --model conv|vae    which autoencoder (default conv)
  --latent-dim N      vae: size of z (default 2, so the latent map can be drawn);
                      conv: channels of the 7x7 bottleneck (default 4)
  --epochs N          epochs (default 2)
  --batch-size N      images per step (default 64)
  --limit N           train on the first N training images only
  --test-limit N      evaluate on the first N test images only (default: all 10,000)
  --filters N         filters of the first conv layer (default 16)
  --lr X              Adam learning rate (default 0.001)
  --dataset NAME      fashion-mnist or digits (the 8x8 digits that ship with nabla, upscaled to
                      28x28). Default: fashion-mnist if found, else digits
  --data-dir DIR      folder holding the four Fashion-MNIST IDX files (train-images-idx3-ubyte.gz,
                      ...), instead of searching $NABLA_DATA_DIR/fashion-mnist/,
                      ~/.nabla/datasets/fashion-mnist/ and /usr/share/datasets/fashion-mnist
  --seed N            seed of the weights, shuffling and latent noise (default 42)
  --out DIR           output folder (default runs/autoencoder-<model>-<timestamp>)
  --json              end the output with one line holding a JSON object of the figures
${dashboardHelp(22)}  -h, --help          print this help

Writes OUT/reconstructions.png (test images above their reconstructions), OUT/report.html and
OUT/result.json; conv also OUT/model.nabla; vae also OUT/latent-map.png (images decoded over a
grid of z), OUT/latent-scatter.png (latent means of test images by class), OUT/prior-samples.png,
OUT/encoder.nabla and OUT/decoder.nabla; the run log in OUT/logs ('nabla dashboard --logdir OUT').
`;

/**
 * `nabla train autoencoder`: parses the flags, trains, prints the figures (with `--json`, one JSON
 * line last). Returns the exit status: 0 on success, 2 for a command-line mistake, 1 when the work
 * fails (e.g. missing data); the message goes to stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await trainAutoencoderCommand(['--model', 'vae', '--epochs', '1', '--limit', '2000', '--json']);
 * ```
 */
export async function trainAutoencoderCommand(args: string[]): Promise<number> {
  return withExitStatus(() => run(args));
}

async function run(args: string[]): Promise<number> {
  const { values } = parseCommand(COMMAND, args, {
    model: { type: 'string' },
    'latent-dim': { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    limit: { type: 'string' },
    'test-limit': { type: 'string' },
    filters: { type: 'string' },
    lr: { type: 'string' },
    dataset: { type: 'string' },
    'data-dir': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    ...DASHBOARD_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(TRAIN_AUTOENCODER_HELP);
    return 0;
  }
  if (values['data-dir'] !== undefined && values.dataset === 'digits') {
    throw new UsageError(`${COMMAND}: --data-dir is the Fashion-MNIST folder; it does not go with --dataset digits.`);
  }
  const model = choiceFlag(COMMAND, 'model', values.model, AUTOENCODER_MODELS) ?? 'conv';
  const latentDim = intFlag(COMMAND, 'latent-dim', values['latent-dim'], 1, 4096);
  const outDir = values.out ?? timestampedRunDir(`autoencoder-${model}`);
  const options = {
    model,
    latentDim: model === 'vae' ? latentDim : undefined,
    bottleneckChannels: model === 'conv' ? latentDim : undefined,
    epochs: intFlag(COMMAND, 'epochs', values.epochs, 1, 100000),
    batchSize: intFlag(COMMAND, 'batch-size', values['batch-size'], 1, 1 << 16),
    limit: intFlag(COMMAND, 'limit', values.limit, 1),
    testLimit: intFlag(COMMAND, 'test-limit', values['test-limit'], 1),
    filters: intFlag(COMMAND, 'filters', values.filters, 1, 1024),
    learningRate: positive(numberFlag(COMMAND, 'lr', values.lr)),
    dataset: choiceFlag(COMMAND, 'dataset', values.dataset, AUTOENCODER_DATASETS),
    dataPath: values['data-dir'],
    seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 31 - 2),
    outDir,
    verbose: values.json ? (0 as const) : (1 as const),
  };
  await withRunDashboard(COMMAND, values, outDir, () => trainAutoencoder(options), (result) => {
    console.log(`Trained in ${result.trainSeconds.toFixed(1)} s (${result.totalSeconds.toFixed(1)} s in all)${result.files['report'] ? `; report: ${result.files['report']}` : ''}`);
    if (values.json) printJson(result);
  });
  return 0;
}

function positive(lr: number | undefined): number | undefined {
  if (lr !== undefined && !(lr > 0)) throw new UsageError(`${COMMAND}: --lr must be a positive number, got '${lr}'.`);
  return lr;
}
