import { DEFAULTS } from '../apps/cats-vs-dogs/train.js';
import { MIN_IMAGE_SIZE } from '../apps/cats-vs-dogs/model.js';
import { timestampedRunDir } from '../apps/common/run-dir.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { intFlag, parseCommand, printJson, UsageError } from './args.js';

const COMMAND = 'nabla train cats-vs-dogs';

export const TRAIN_CATS_VS_DOGS_HELP = `Usage: nabla train cats-vs-dogs --data DIR [options]

Trains the classic small Keras binary convnet (Rescaling 1/255; RandomFlip horizontal,
RandomRotation 0.1 and RandomZoom 0.1 in training only; Conv2D 32/64/128 3x3 ReLU each with
MaxPool 2; Flatten; Dropout 0.5; Dense 1 sigmoid; Adam, binary crossentropy) on a folder of
photos in two class subfolders, with a seeded 80/20 training/validation split of the files.
Evaluates it on the validation images, saves the model and writes an HTML report.

Options:
  --data DIR         folder with exactly two class subfolders of PNG/JPEG images, e.g.
                     DIR/cat/*.jpg and DIR/dog/*.jpg (any two names; label 1 is the second
                     in alphabetical order). Unreadable files are skipped with a warning
  --epochs N         epochs (default ${DEFAULTS.epochs})
  --image-size N     side of the square images the model sees (default ${DEFAULTS.imageSize}, at least ${MIN_IMAGE_SIZE})
  --batch-size N     images per training step (default ${DEFAULTS.batchSize})
  --seed N           seed of the split, shuffles, initial weights, dropout and augmentation
                     (default ${DEFAULTS.seed})
  --out DIR          output folder (default runs/cats-vs-dogs-<timestamp>)
${dashboardHelp()}  --json             end the output with one line holding a JSON object of the figures
                     (testAccuracy is the validation accuracy)
  -h, --help         print this help

Writes OUT/model.nabla (load with nb.keras.loadModel, or classify photos with
'nabla predict OUT/model.nabla PHOTO...'), OUT/meta.json, OUT/result.json and OUT/report.html
with loss.png, accuracy.png, confusion.png and samples.png.

Example (the Kaggle "Dogs vs. Cats" / Microsoft PetImages photos, see the README):
  nabla train cats-vs-dogs --data PetImages --epochs 10 --out runs/pets
`;

/** `nabla train cats-vs-dogs`: parses the flags, trains, and prints the figures. */
export async function trainCatsVsDogsCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(COMMAND, args, {
    data: { type: 'string' },
    epochs: { type: 'string' },
    'image-size': { type: 'string' },
    'batch-size': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    ...DASHBOARD_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(TRAIN_CATS_VS_DOGS_HELP);
    return;
  }
  if (values.data === undefined) {
    throw new UsageError(`${COMMAND}: --data DIR is required: a folder with two class subfolders such as DIR/cat/*.jpg and DIR/dog/*.jpg. Run '${COMMAND} --help'.`);
  }
  const options = {
    dataDir: values.data,
    epochs: intFlag(COMMAND, 'epochs', values.epochs, 1, 100000),
    imageSize: intFlag(COMMAND, 'image-size', values['image-size'], MIN_IMAGE_SIZE, 1024),
    batchSize: intFlag(COMMAND, 'batch-size', values['batch-size'], 1, 1 << 20),
    seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 32 - 1),
    outDir: values.out ?? timestampedRunDir('cats-vs-dogs'),
  };
  // Loaded here, not at start-up: the image decoders and charts are only needed by this command.
  const { trainCatsVsDogs } = await import('../apps/cats-vs-dogs/train.js');
  await withRunDashboard(COMMAND, values, options.outDir, () => trainCatsVsDogs(options), (result) => {
    if (!values.json) return;
    const { evaluation: _evaluation, ...figures } = result;
    printJson(figures);
  });
}
