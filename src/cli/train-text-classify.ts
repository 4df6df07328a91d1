import * as nb from '../index.js';
import { DEFAULT_CLASSES } from '../apps/text-classify/data.js';
import { TEXT_DEFAULTS, trainTextClassify } from '../apps/text-classify/train.js';
import { timestampedRunDir } from '../apps/common/run-dir.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { withExitStatus } from './exit-status.js';
import { intFlag, parseCommand, printJson, UsageError } from './args.js';

const COMMAND = 'nabla train text-classify';

export const TRAIN_TEXT_CLASSIFY_HELP = `Usage: nabla train text-classify [options]

Classifies fortune-cookie texts by category: a TextVectorization layer (int mode, vocabulary
adapted on the training texts) feeds Embedding 32 -> Bidirectional(GRU ${TEXT_DEFAULTS.units}) -> Dense softmax
(Adam, sparse categorical crossentropy). The entries are split 80/20 (seeded) into training and
test; prints the test accuracy and the majority-class baseline, saves the model, the vectorizer
and an HTML report.

Options:
  --data DIR          folder of <category>.txt fortune files, entries separated by '%' lines.
                      Default: the first found of $NABLA_DATA_DIR/fortunes,
                      ~/.nabla/datasets/fortunes and ../shared/data/text/fortunes (next to nabla)
  --classes A,B,C     categories to tell apart (default ${DEFAULT_CLASSES.join(',')})
  --epochs N          epochs (default ${TEXT_DEFAULTS.epochs})
  --batch-size N      texts per training step (default ${TEXT_DEFAULTS.batchSize})
  --max-tokens N      vocabulary size cap (default ${TEXT_DEFAULTS.maxTokens})
  --sequence-length N tokens kept per text, padded or cut (default ${TEXT_DEFAULTS.sequenceLength})
  --limit N           keep the first N entries of the training and of the test part
  --seed N            seed of the split, initial weights and shuffling (default ${TEXT_DEFAULTS.seed})
  --out DIR           output folder (default runs/text-classify-<timestamp>)
  --json              end the output with one line holding a JSON object of the figures
${dashboardHelp(22)}  -h, --help          print this help

Writes OUT/model.nabla (nb.keras.loadModel), OUT/vectorizer.json ({classNames, config}: rebuild
the vectorizer with nb.keras.layers.TextVectorization.fromConfig(config)), OUT/result.json and
OUT/report.html with loss.png, accuracy.png and confusion.png.
`;

function parseClasses(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const classes = value.split(',').map((c) => c.trim());
  if (classes.length < 2 || classes.some((c) => c === '')) {
    throw new UsageError(`${COMMAND}: --classes must list at least two comma-separated category names (e.g. food,love,sports), got '${value}'.`);
  }
  return classes;
}

async function run(args: string[]): Promise<void> {
  const { values } = parseCommand(COMMAND, args, {
    data: { type: 'string' },
    classes: { type: 'string' },
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    'max-tokens': { type: 'string' },
    'sequence-length': { type: 'string' },
    limit: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    ...DASHBOARD_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(TRAIN_TEXT_CLASSIFY_HELP);
    return;
  }
  const options = {
    dataPath: values.data,
    classes: parseClasses(values.classes),
    epochs: intFlag(COMMAND, 'epochs', values.epochs, 1, 100000),
    batchSize: intFlag(COMMAND, 'batch-size', values['batch-size'], 1, 1 << 20),
    maxTokens: intFlag(COMMAND, 'max-tokens', values['max-tokens'], 3),
    sequenceLength: intFlag(COMMAND, 'sequence-length', values['sequence-length'], 1, 100000),
    limitPerSplit: intFlag(COMMAND, 'limit', values.limit, 1),
    seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 32 - 1),
    outDir: values.out ?? timestampedRunDir('text-classify'),
  };
  await withRunDashboard(COMMAND, values, options.outDir, () => trainTextClassify(options), (result) => {
    if (!values.json) return;
    const { history, evaluation: _e, data: _d, predicted: _p, ...figures } = result;
    printJson({ ...figures, finalLoss: history['loss']?.at(-1) ?? null });
  });
}

/**
 * `nabla train text-classify [--data DIR] [--classes a,b,c] [--epochs N] [--batch-size N]
 * [--seed N] [--out DIR] [--json]`: returns the exit status (0 done, 1 the work failed, e.g. no
 * data; 2 a command-line mistake), having printed the error.
 *
 * @example
 * ```ts
 * process.exitCode = await trainTextClassifyCommand(['--epochs', '3', '--json']);
 * ```
 */
export async function trainTextClassifyCommand(args: string[]): Promise<number> {
  return withExitStatus(() => run(args));
}
