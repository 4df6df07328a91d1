import { evaluateTabular, predictTabular, TABULAR_MODELS, trainTabular } from '../estimator/tabular-app.js';
import { dashboardHelp, DASHBOARD_OPTIONS, startRunDashboard } from './dashboard-flag.js';
import { choiceFlag, intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';

export const ESTIMATOR_HELP = `Usage:
  nabla estimator train --csv FILE --label COLUMN [options]   train a premade estimator on a table
  nabla estimator evaluate --csv FILE --model-dir DIR [--report-dir R] [--json]
                                                              evaluate a trained model on a table
  nabla estimator predict --csv FILE --model-dir DIR [--json]  predict every row of a table

Feature columns are inferred from the CSV: columns whose values are all numbers are numeric
(standardised with the training table's mean and std), the others categorical (one-hot over the
values seen); --categorical overrides. The first line is the header unless --names is given.
'train' holds out a seeded --test-fraction of the rows, evaluates on it, and writes
DIR/estimator.json, DIR/report.json, DIR/report.md, plots of the test split
(confusion-matrix.png, and roc.png for binary classifiers; predicted-vs-actual.png for
regressors) and the checkpoints. 'evaluate --report-dir R' writes the same report for a table.
A classifier's label column may hold class names: they become ids by their position in the
label vocabulary, inferred as the sorted distinct names unless --label-vocabulary is given.

Train options:
  --model M          ${TABULAR_MODELS.join('|')} (default dnn-classifier)
  --hidden 64,32     hidden units of the DNN models (default 64,32)
  --steps N          training steps (default 500); a rerun on the same --model-dir continues
  --batch N          batch size (default 32)
  --optimizer NAME   adam, sgd, adagrad, ftrl, rmsprop, ... (default adam at learning rate 0.01;
                     ftrl at 0.2 for the linear models, as TensorFlow)
  --lr X             learning rate
  --n-classes N      classes (default: the largest label + 1, or the number of class names)
  --label-vocabulary a,b,c
                     class names in id order, for a label column of names (default: sorted)
  --test-fraction X  held-out share (default 0.2; 0 trains on everything)
  --categorical a,b  treat these columns as categorical
  --seed S           seed of the split, the initial weights and the batch order (default 0)
  --model-dir DIR    where checkpoints, reports and loss summaries go (default runs/estimator-<model>)
${dashboardHelp(21)}Common options:
  --names a,b,...    column names when the file has no header line
  --skip-rows N      lines to skip at the top (e.g. 1 for a non-header first line)
  --json             end the output with one line holding a JSON object of the figures
                     (accuracy, loss, averageLoss, auc/precision/recall/rocAuc (binary) or
                     macroPrecision/macroRecall/macroAuc for classifiers; mae, rmse, r2 for
                     regressors; globalStep, trainRows, testRows, trainSeconds, plots)
  -h, --help         print this help
`;

const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== ''));

const COMMON = { csv: { type: 'string' }, 'model-dir': { type: 'string' }, names: { type: 'string' }, 'skip-rows': { type: 'string' }, json: { type: 'boolean' } } as const;

async function train(args: string[]): Promise<void> {
  const command = 'nabla estimator train';
  const { values } = parseCommand(command, args, {
    ...COMMON,
    label: { type: 'string' },
    model: { type: 'string' },
    hidden: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    'n-classes': { type: 'string' },
    'label-vocabulary': { type: 'string' },
    'test-fraction': { type: 'string' },
    categorical: { type: 'string' },
    seed: { type: 'string' },
    ...DASHBOARD_OPTIONS,
  });
  if (values.help) return void process.stdout.write(ESTIMATOR_HELP);
  if (!values.csv || !values.label) throw new UsageError(`${command}: --csv FILE and --label COLUMN are required. See '${command} --help'.`);
  const model = choiceFlag(command, 'model', values.model, TABULAR_MODELS) ?? 'dnn-classifier';
  const hidden = list(values.hidden)?.map((h) => intFlag(command, 'hidden', h, 1)!);
  const testFraction = numberFlag(command, 'test-fraction', values['test-fraction']);
  if (testFraction !== undefined && !(testFraction >= 0 && testFraction < 1)) throw new UsageError(`${command}: --test-fraction must be in [0, 1), got '${values['test-fraction']}'.`);
  const names = list(values.names);
  const categorical = list(values.categorical);
  const labelVocabulary = list(values['label-vocabulary']);
  const steps = intFlag(command, 'steps', values.steps, 1);
  const batchSize = intFlag(command, 'batch', values.batch, 1);
  const seed = intFlag(command, 'seed', values.seed, 0, 2 ** 32 - 1);
  const skipRows = intFlag(command, 'skip-rows', values['skip-rows'], 0);
  const learningRate = numberFlag(command, 'lr', values.lr);
  const nClasses = intFlag(command, 'n-classes', values['n-classes'], 2);
  const modelDir = values['model-dir'] ?? `runs/estimator-${model}`;
  const dash = await startRunDashboard(command, values, modelDir);
  const figs = await trainTabular({
    csv: values.csv,
    label: values.label,
    model,
    modelDir,
    ...(hidden ? { hidden } : {}),
    ...(steps !== undefined ? { steps } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(testFraction !== undefined ? { testFraction } : {}),
    ...(categorical ? { categorical } : {}),
    ...(names ? { names } : {}),
    ...(skipRows !== undefined ? { skipRows } : {}),
    ...(values.optimizer ? { optimizer: values.optimizer } : {}),
    ...(learningRate !== undefined ? { learningRate } : {}),
    ...(nClasses !== undefined ? { nClasses } : {}),
    ...(labelVocabulary ? { labelVocabulary } : {}),
    onLog: (line) => console.log(line),
  }).catch(async (e: unknown) => {
    await dash?.close();
    throw e;
  });
  const acc = figs['accuracy'];
  console.log(
    typeof acc === 'number'
      ? `global step ${figs['globalStep']}: test accuracy ${(acc * 100).toFixed(1)}%, loss ${(figs['loss'] as number).toFixed(4)}`
      : `global step ${figs['globalStep']}: ${'r2' in figs ? `test R^2 ${(figs['r2'] as number).toFixed(3)}, RMSE ${(figs['rmse'] as number).toFixed(4)}` : 'trained'}`,
  );
  console.log(`reports and checkpoints in ${figs['modelDir']} (loss curves: nabla dashboard --logdir ${modelDir})`);
  if (values.json) printJson(figs);
  await dash?.finish();
}

async function evalOrPredict(kind: 'evaluate' | 'predict', args: string[]): Promise<void> {
  const command = `nabla estimator ${kind}`;
  const { values } = parseCommand(command, args, kind === 'evaluate' ? { ...COMMON, 'report-dir': { type: 'string' } } : COMMON);
  if (values.help) return void process.stdout.write(ESTIMATOR_HELP);
  if (!values.csv || !values['model-dir']) throw new UsageError(`${command}: --csv FILE and --model-dir DIR are required. See '${command} --help'.`);
  const names = list(values.names);
  const skipRows = intFlag(command, 'skip-rows', values['skip-rows'], 0);
  const o = { csv: values.csv, modelDir: values['model-dir'], ...(names ? { names } : {}), ...(skipRows !== undefined ? { skipRows } : {}) };
  if (kind === 'evaluate') {
    const reportDir = (values as { 'report-dir'?: string })['report-dir'];
    const figs = await evaluateTabular({ ...o, ...(reportDir !== undefined ? { reportDir } : {}) });
    for (const [k, v] of Object.entries(figs)) console.log(`${k}: ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)}`);
    if (reportDir !== undefined) console.log(`report written to ${reportDir}/report.md`);
    if (values.json) printJson(figs);
  } else {
    const preds = await predictTabular(o);
    if (!values.json) for (const p of preds) console.log(JSON.stringify(p));
    else printJson({ rows: preds.length, predictions: preds });
  }
}

/** `nabla estimator train|evaluate|predict`. */
export async function estimatorCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') return void process.stdout.write(ESTIMATOR_HELP);
  if (sub === 'train') return train(rest);
  if (sub === 'evaluate' || sub === 'predict') return evalOrPredict(sub, rest);
  throw new UsageError(`nabla estimator: unknown subcommand '${sub}'; expected train, evaluate or predict. See 'nabla estimator --help'.`);
}
