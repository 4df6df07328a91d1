import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import * as nb from '../index.js';
import { styleTransfer, type StepLog, type StyleTransferResult } from '../apps/style-transfer/index.js';
import { appWriter } from '../apps/common/run-logger.js';
import { dashboardHelp, DASHBOARD_OPTIONS, startRunDashboard } from './dashboard-flag.js';
import { choiceFlag, intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';

const COMMAND = 'nabla style-transfer';

export const STYLE_TRANSFER_HELP = `Usage: nabla style-transfer CONTENT STYLE -o OUT.png [options]

Paints the CONTENT image in the style of the STYLE image (Gatys et al.; the Keras example):
gradient descent on the pixels of an image started from CONTENT, minimising
  content-weight * mean (VGG19 block5_conv2 features - content's)^2
+ style-weight  * mean over block{1..5}_conv1 of Gram-matrix loss against the style image
+ tv-weight     * total variation (smoothness).

Options:
  -o, --output FILE      the result (.png or .jpg); required
  --size N               longer side of the working image (default 384; aspect kept)
  --steps N              optimisation steps (default 300 with adam, 100 with lbfgs)
  --content-weight X     default 1
  --style-weight X       default 0.05
  --tv-weight X          default 1
  --optimizer NAME       adam (default) or lbfgs
  --lr X                 Adam step size, in 0..255 pixel units (default 5)
  --weights FILE         the Keras VGG19 weight file (vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5);
                         default: found in $NABLA_DATA_DIR/models, ~/.nabla/models or ~/.keras/models
  --random-features      use seeded random VGG19 weights instead (texture transfer with a random
                         network; labelled as such in every output); never used implicitly
  --seed N               seed of the random features and of --init noise (default 42)
  --init NAME            content (default) or noise
  --output-size NAME     content (default: the content image's size) or work (the working size)
  --save-every K         also write OUT-stepNNNN.png every K steps
  --json                 end with one line holding a JSON object of the figures
${dashboardHelp(25)}  -h, --help             print this help

Writes OUT and OUT's losses (OUT-losses.json: the three weighted losses per step), and logs the
losses and images for 'nabla dashboard' and TensorBoard to OUT-logs/.
`;

function sibling(out: string, suffix: string, ext = extname(out) || '.png'): string {
  const base = basename(out, extname(out));
  return join(dirname(out), `${base}${suffix}${ext}`);
}

export async function styleTransferCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(
    COMMAND,
    args,
    {
      output: { type: 'string', short: 'o' },
      size: { type: 'string' },
      steps: { type: 'string' },
      'content-weight': { type: 'string' },
      'style-weight': { type: 'string' },
      'tv-weight': { type: 'string' },
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      weights: { type: 'string' },
      'random-features': { type: 'boolean' },
      seed: { type: 'string' },
      init: { type: 'string' },
      'output-size': { type: 'string' },
      'save-every': { type: 'string' },
      json: { type: 'boolean' },
      ...DASHBOARD_OPTIONS,
    },
    true,
  );
  if (values.help) {
    process.stdout.write(STYLE_TRANSFER_HELP);
    return;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`${COMMAND}: expected two images, CONTENT and STYLE, got ${positionals.length}. Run '${COMMAND} --help'.`);
  }
  const out = values.output;
  if (!out) throw new UsageError(`${COMMAND}: give the output file with -o OUT.png.`);
  if (values.weights !== undefined && values['random-features']) {
    throw new UsageError(`${COMMAND}: --weights and --random-features exclude each other; give one.`);
  }
  const [content, style] = positionals as [string, string];
  const steps = intFlag(COMMAND, 'steps', values.steps, 1, 1_000_000);
  const saveEvery = intFlag(COMMAND, 'save-every', values['save-every'], 1) ?? 0;
  const weights = values['random-features'] ? 'random' : (values.weights ?? 'imagenet');
  mkdirSync(dirname(out) || '.', { recursive: true });

  const say = (line: string) => console.log(line);
  const fmt = (x: number) => x.toExponential(3);
  const intermediate: string[] = [];
  let announced = false;
  const logdir = sibling(out, '-logs', '');
  const dash = await startRunDashboard(COMMAND, values, logdir);
  // Made at the first step, so a command that fails before training leaves no log folder behind.
  let writer: nb.summary.SummaryWriter | null = null;
  const summary = () => (writer ??= appWriter(logdir, { dataset: `${content} + ${style}`, hyperParameters: { steps, optimizer: values.optimizer ?? 'adam' } }));
  let result: StyleTransferResult;
  try {
    result = await styleTransfer({
      content,
      style,
      size: intFlag(COMMAND, 'size', values.size, 32, 8192),
      steps,
      contentWeight: numberFlag(COMMAND, 'content-weight', values['content-weight']),
      styleWeight: numberFlag(COMMAND, 'style-weight', values['style-weight']),
      tvWeight: numberFlag(COMMAND, 'tv-weight', values['tv-weight']),
      optimizer: choiceFlag(COMMAND, 'optimizer', values.optimizer, ['adam', 'lbfgs'] as const),
      learningRate: numberFlag(COMMAND, 'lr', values.lr),
      weights,
      seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 32 - 1),
      init: choiceFlag(COMMAND, 'init', values.init, ['content', 'noise'] as const),
      outputSize: choiceFlag(COMMAND, 'output-size', values['output-size'], ['content', 'work'] as const),
      saveEvery,
      onStep: (log: StepLog) => {
        if (!announced) {
          announced = true;
          say(`backend '${nb.getBackend()}'${weights === 'random' ? '; RANDOM FEATURES (seeded random VGG19 weights, not ImageNet): a texture-transfer variant, not the classic result' : ''}`);
        }
        const perStep = log.seconds / log.step;
        say(`step ${String(log.step).padStart(String(log.steps).length)}/${log.steps}  total ${fmt(log.total)}  content ${fmt(log.content)}  style ${fmt(log.style)}  tv ${fmt(log.tv)}  (${perStep.toFixed(2)} s/step)`);
        for (const k of ['total', 'content', 'style', 'tv'] as const) summary().scalar(`loss_${k}`, log[k], log.step);
      },
      onImage: (step, image) => {
        summary().image('image', image, step);
        summary().flush();
        const path = sibling(out, `-step${String(step).padStart(4, '0')}`);
        nb.data.image.writeImage(path, image);
        intermediate.push(path);
      },
    });
    summary().image('image', result.image, result.history.at(-1)?.step ?? 0);
  } catch (e) {
    await dash?.close();
    throw e;
  } finally {
    (writer as nb.summary.SummaryWriter | null)?.close();
  }
  nb.data.image.writeImage(out, result.image);
  const lossesPath = sibling(out, '-losses', '.json');
  const first = result.history[0]!;
  const last = result.history.at(-1)!;
  const figures = {
    output: out,
    losses: lossesPath,
    intermediate,
    features: result.features,
    randomFeatures: result.randomFeatures,
    optimizer: result.optimizer,
    steps: last.step,
    workSize: result.workSize,
    outputSize: result.outputSize,
    weights: result.weights,
    initialLoss: first.total,
    finalLoss: last.total,
    final: { content: last.content, style: last.style, tv: last.tv },
    secondsPerStep: result.secondsPerStep,
    backend: nb.getBackend(),
  };
  writeFileSync(lossesPath, JSON.stringify({ ...figures, history: result.history }, null, 1));
  say(`features: ${result.features}`);
  say(`loss ${fmt(first.total)} -> ${fmt(last.total)} in ${last.step} steps (${result.secondsPerStep.toFixed(2)} s/step); wrote ${out} (${result.outputSize[1]}x${result.outputSize[0]}) and ${lossesPath}`);
  if (values.json) printJson(figures);
  await dash?.finish();
}
