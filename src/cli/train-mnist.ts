import { DATASETS } from '../apps/mnist/data.js';
import { defaultOutDir, trainMnist } from '../apps/mnist/train.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { choiceFlag, intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';

const COMMAND = 'nabla train mnist';

export const TRAIN_MNIST_HELP = `Usage: nabla train mnist [options]

Trains the Keras "mnist_convnet" example (Conv2D 32 3x3 ReLU, MaxPool 2, Conv2D 64 3x3 ReLU,
MaxPool 2, Flatten, Dropout 0.5, Dense softmax; Adam, sparse categorical crossentropy) with a
validation split, evaluates it on the test set, saves the model and writes an HTML report.

Options:
  --dataset NAME     mnist, fashion-mnist or digits. Default: mnist if found, else
                     fashion-mnist if found, else the UCI 8x8 digits that ship with nabla
  --data-dir DIR     folder holding the dataset's files, instead of searching for them
  --epochs N         epochs (default 1 for mnist and fashion-mnist, 15 for digits)
  --batch-size N     samples per training step (default 128; 32 for digits)
  --limit N          train on the first N training samples only
  --validation-split F  fraction of the training samples held out for validation, 0 <= F < 1
                     (default 0.1, as the Keras example; 0 trains on all of them)
  --seed N           seed of the initial weights, shuffling and dropout (default 42)
  --out DIR          output folder (default runs/mnist-<timestamp>)
${dashboardHelp()}  --json             end the output with one line holding a JSON object of the figures
  -h, --help         print this help

MNIST and Fashion-MNIST are the four IDX files (train-images-idx3-ubyte.gz, ...) found in
$NABLA_DATA_DIR/<name>/, ~/.nabla/datasets/<name>/ or, for fashion-mnist, where Debian's
dataset-fashion-mnist installs them (/usr/share/datasets/fashion-mnist).

Writes OUT/model.nabla (load with nb.keras.loadModel, or classify images with
'nabla predict OUT/model.nabla IMAGE...'), OUT/meta.json, OUT/result.json and OUT/report.html
with loss.png, accuracy.png, confusion.png and samples.png.
`;

function fractionFlag(raw: string | undefined): number | undefined {
  const v = numberFlag(COMMAND, 'validation-split', raw);
  if (v !== undefined && (v < 0 || v >= 1)) throw new UsageError(`${COMMAND}: --validation-split must be at least 0 and below 1, got '${raw}'.`);
  return v;
}

export async function trainMnistCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(COMMAND, args, {
    dataset: { type: 'string' },
    'data-dir': { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    limit: { type: 'string' },
    'validation-split': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    ...DASHBOARD_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(TRAIN_MNIST_HELP);
    return;
  }
  if (values['data-dir'] !== undefined && values.dataset === undefined) {
    throw new UsageError(`${COMMAND}: --data-dir needs --dataset to say which dataset the folder holds.`);
  }
  const outDir = values.out ?? defaultOutDir();
  const train = () => trainMnist({
    dataset: choiceFlag(COMMAND, 'dataset', values.dataset, DATASETS),
    dataPath: values['data-dir'],
    epochs: intFlag(COMMAND, 'epochs', values.epochs, 1, 100000),
    batchSize: intFlag(COMMAND, 'batch-size', values['batch-size'], 1, 1 << 20),
    limit: intFlag(COMMAND, 'limit', values.limit, 1),
    validationSplit: fractionFlag(values['validation-split']),
    seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 32 - 1),
    outDir,
  });
  await withRunDashboard(COMMAND, values, outDir, train, (result) => {
    if (!values.json) return;
    const { evaluation, ...figures } = result;
    printJson({ ...figures, perClass: evaluation.perClass });
  });
}
