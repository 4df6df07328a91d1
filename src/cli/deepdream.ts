import { mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import * as nb from '../index.js';
import { deepDream, type OctaveLog } from '../apps/deepdream/index.js';
import { intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';
import { withExitStatus } from './exit-status.js';

const COMMAND = 'nabla deepdream';

export const DEEPDREAM_HELP = `Usage: nabla deepdream IMAGE -o OUT.png [options]

DeepDream (the Keras example): gradient ascent on the pixels of IMAGE that amplifies what chosen
VGG19 layers respond to, maximising sum over layers of weight * mean(activation^2). Octave by
octave, from a small scale to the full size, the detail dreamed so far is upscaled and kept;
every step is normalised by the mean |gradient|, taken on a randomly rolled copy (jitter) and
clipped to valid pixels.

Options:
  -o, --output FILE      the result (.png or .jpg); required
  --layers LIST          VGG19 layers, NAME or NAME:WEIGHT, comma separated
                         (default block4_conv3,block5_conv1; e.g. block3_conv1:0.5,block5_conv2)
  --octaves N            number of scales (default 3)
  --octave-scale X       size ratio between octaves (default 1.4)
  --steps N              gradient-ascent steps per octave (default 20)
  --step-size X          pixel step per iteration, 0..255 scale (default 1.5)
  --size N               longer side of the working and output image (default 256; aspect kept)
  --jitter N             largest random roll per step in pixels (default 8; 0 = none)
  --weights FILE         the Keras VGG19 weight file (vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5);
                         default: found in $NABLA_DATA_DIR/models, ~/.nabla/models or ~/.keras/models
  --random-features      use seeded random VGG19 weights instead (labelled as such in every
                         output; the dream shows random-filter textures, not ImageNet objects);
                         never used implicitly
  --seed N               seed of the random features and of the jitter (default 42)
  --json                 end with one line holding a JSON object of the figures
  -h, --help             print this help

Prints the objective (weighted mean squared activation) before and after every octave.
`;

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(
    COMMAND,
    args,
    {
      output: { type: 'string', short: 'o' },
      layers: { type: 'string' },
      octaves: { type: 'string' },
      'octave-scale': { type: 'string' },
      steps: { type: 'string' },
      'step-size': { type: 'string' },
      size: { type: 'string' },
      jitter: { type: 'string' },
      weights: { type: 'string' },
      'random-features': { type: 'boolean' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(DEEPDREAM_HELP);
    return;
  }
  if (positionals.length !== 1) throw new UsageError(`${COMMAND}: expected one IMAGE, got ${positionals.length}. Run '${COMMAND} --help'.`);
  const out = values.output;
  if (!out) throw new UsageError(`${COMMAND}: give the output file with -o OUT.png.`);
  if (!IMAGE_EXTENSIONS.includes(extname(out).toLowerCase())) {
    throw new UsageError(`${COMMAND}: the output must end in ${IMAGE_EXTENSIONS.join(', ')}; got '${out}'.`);
  }
  if (values.weights !== undefined && values['random-features']) {
    throw new UsageError(`${COMMAND}: --weights and --random-features exclude each other; give one.`);
  }
  const stepSize = numberFlag(COMMAND, 'step-size', values['step-size']);
  if (stepSize !== undefined && stepSize <= 0) throw new UsageError(`${COMMAND}: --step-size must be a positive number, got '${values['step-size']}'.`);
  const octaveScale = numberFlag(COMMAND, 'octave-scale', values['octave-scale']);
  if (octaveScale !== undefined && (octaveScale <= 1 || octaveScale > 4)) {
    throw new UsageError(`${COMMAND}: --octave-scale must be a number in (1, 4], e.g. 1.4; got '${values['octave-scale']}'.`);
  }
  const random = values['random-features'] === true;
  const weights = random ? 'random' : (values.weights ?? 'imagenet');

  const say = (line: string) => console.log(line);
  const fmt = (x: number) => x.toExponential(3);
  let announced = false;
  const result = await deepDream({
    image: positionals[0]!,
    layers: values.layers,
    octaves: intFlag(COMMAND, 'octaves', values.octaves, 1, 20),
    octaveScale,
    steps: intFlag(COMMAND, 'steps', values.steps, 1, 100_000),
    stepSize,
    size: intFlag(COMMAND, 'size', values.size, 32, 8192),
    jitter: intFlag(COMMAND, 'jitter', values.jitter, 0, 1024),
    weights,
    seed: intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 32 - 1),
    onOctave: (log: OctaveLog) => {
      if (!announced) {
        announced = true;
        say(`backend '${nb.getBackend()}'${random ? '; RANDOM FEATURES (seeded random VGG19 weights, not ImageNet): the dream amplifies random filters, not learned objects' : ''}`);
      }
      say(`octave ${log.octave}/${log.octaves}  ${log.size[1]}x${log.size[0]}  activation ${fmt(log.before)} -> ${fmt(log.after)} (x${(log.after / log.before).toFixed(2)})  ${log.seconds.toFixed(1)} s`);
    },
  });
  mkdirSync(dirname(out) || '.', { recursive: true });
  nb.data.image.writeImage(out, result.image);
  const gain = result.activationAfter / result.activationBefore;
  say(`features: ${result.features}`);
  say(
    `layers ${result.layers.map((l) => `${l.name}:${l.weight}`).join(',')}: activation ${fmt(result.activationBefore)} -> ${fmt(result.activationAfter)} (x${gain.toFixed(2)}) ` +
      `over ${result.octaves.length} octaves x ${result.steps} steps in ${result.seconds.toFixed(1)} s; wrote ${out} (${result.workSize[1]}x${result.workSize[0]})${random ? ' [RANDOM FEATURES]' : ''}`,
  );
  if (values.json) {
    printJson({
      output: out,
      layers: result.layers,
      octaves: result.octaves.length,
      octaveScale: result.octaveScale,
      steps: result.steps,
      stepSize: result.stepSize,
      workSize: result.workSize,
      perOctave: result.octaves,
      activationBefore: result.activationBefore,
      activationAfter: result.activationAfter,
      gain,
      seconds: result.seconds,
      features: result.features,
      randomFeatures: result.randomFeatures,
      backend: nb.getBackend(),
    });
  }
}

/**
 * `nabla deepdream IMAGE -o OUT.png [options]`: dreams on IMAGE with VGG19 and writes OUT. Returns
 * the exit status: 0 done, 2 a usage mistake (UsageError), 1 failed work (a nabla error such as
 * missing weights or an unknown layer); the message goes to stderr.
 *
 * @example
 * ```ts
 * const status = await deepdreamCommand(['chelsea.png', '-o', '/tmp/dream.png', '--random-features', '--size', '128', '--json']);
 * ```
 */
export async function deepdreamCommand(args: string[]): Promise<number> {
  return withExitStatus(() => run(args));
}
