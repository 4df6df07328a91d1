import { existsSync } from 'node:fs';
import * as nb from '../index.js';
import { choiceFlag, intFlag, parseCommand, printJson, UsageError } from './args.js';

const COMMAND = 'nabla predict';

export const PREDICT_HELP = `Usage: nabla predict MODEL IMAGE... [options]

Classifies image files (PNG or JPEG) with a model saved by 'nabla train mnist' or
'nabla train cats-vs-dogs' (MODEL is its model.nabla; class names come from meta.json beside
it). Each image is turned to grayscale (RGB for a cats-vs-dogs model) and resized to the
model's input size; prints the class and its probability per image.

Options:
  --top K              also list the K most likely classes (default 1)
  --invert auto|yes|no  MNIST-style models expect a light figure on a dark background; 'auto'
                       (the default) inverts grayscale images whose border is mostly light
                       (RGB images are never inverted by 'auto')
  --json               end the output with one line holding a JSON object of the predictions
  -h, --help           print this help

Example:
  nabla train mnist --dataset digits --out runs/digits
  nabla predict runs/digits/model.nabla my-digit.png
`;

export async function predictCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(
    COMMAND,
    args,
    { top: { type: 'string' }, invert: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (values.help) {
    process.stdout.write(PREDICT_HELP);
    return;
  }
  const top = intFlag(COMMAND, 'top', values.top, 1, 1000) ?? 1;
  const invert = choiceFlag(COMMAND, 'invert', values.invert, ['auto', 'yes', 'no'] as const) ?? 'auto';
  const [modelPath, ...images] = positionals;
  if (!modelPath || images.length === 0) {
    throw new UsageError(`${COMMAND}: give a model file and at least one image, e.g. 'nabla predict runs/mnist/model.nabla digit.png'. Run '${COMMAND} --help'.`);
  }
  for (const p of [modelPath, ...images]) {
    if (!existsSync(p)) throw new nb.NotFoundError(`${COMMAND}: no file at '${p}'.`);
  }
  // Loaded here, not at start-up: the image decoders are only needed by this command.
  const { loadClassifier, predictFiles } = await import('../apps/mnist/predict.js');
  const classifier = loadClassifier(modelPath);
  const predictions = predictFiles(classifier, images, { invert, top });
  for (const p of predictions) {
    const others = top > 1 ? `  (${p.top.map((t) => `${t.label} ${t.probability.toFixed(3)}`).join(', ')})` : '';
    console.log(`${p.image}: ${p.label} (class ${p.class}) probability ${p.probability.toFixed(4)}${p.inverted ? ' [inverted]' : ''}${others}`);
  }
  if (values.json) printJson({ model: modelPath, predictions });
}
