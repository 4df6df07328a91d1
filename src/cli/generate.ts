import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as nb from '../index.js';
import { sampleGrid } from '../apps/gan/samples.js';
import { intFlag, parseCommand, printJson, UsageError } from './args.js';

const COMMAND = 'nabla generate';

export const GENERATE_HELP = `Usage: nabla generate MODEL [options]

Draws images from a generator saved by 'nabla train gan' or 'nabla train dcgan' (MODEL is its
generator.nabla): feeds it standard normal noise and writes the images as one grid.
('nabla generate char-rnn MODEL --prompt TEXT' continues text with a char-rnn model instead;
see 'nabla generate char-rnn --help'.)

Options:
  -n, --count N    images to generate (default 64)
  -o, --out FILE   the grid, .png or .jpg (default generated.png)
  --columns N      images per row (default 8)
  --seed N         seed of the noise (default 0)
  --json           end the output with one line holding a JSON object (file, count, latentDim)
  -h, --help       print this help

Example:
  nabla train dcgan --dataset digits --epochs 5 --out runs/dcgan
  nabla generate runs/dcgan/generator.nabla -n 64 -o grid.png
`;

/** The noise size of a generator: its input shape [null, latentDim]. */
function latentDimOf(model: nb.keras.Model, path: string): number {
  const shape = model.batchInputShape ?? (model as { inputs?: { shape: (number | null)[] }[] }).inputs?.[0]?.shape ?? null;
  if (!shape || shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new nb.InvalidArgumentError(
      `${COMMAND}: '${path}' takes input of shape ${JSON.stringify(shape)}, but a generator takes noise vectors [batch, latentDim]; pass a generator.nabla written by 'nabla train gan' or 'nabla train dcgan'.`,
    );
  }
  return shape[1];
}

export async function generateCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseCommand(
    COMMAND,
    args,
    { count: { type: 'string', short: 'n' }, out: { type: 'string', short: 'o' }, columns: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (values.help) {
    process.stdout.write(GENERATE_HELP);
    return;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`${COMMAND}: expected one MODEL (a generator.nabla), got ${positionals.length}. Run '${COMMAND} --help' for the options.`);
  }
  const path = positionals[0]!;
  if (!existsSync(path)) throw new nb.NotFoundError(`${COMMAND}: no model at '${path}'; train one with 'nabla train dcgan --out DIR' and pass DIR/generator.nabla.`);
  const count = intFlag(COMMAND, 'count', values.count, 1, 100000) ?? 64;
  const columns = intFlag(COMMAND, 'columns', values.columns, 1, 10000) ?? 8;
  const seed = intFlag(COMMAND, 'seed', values.seed, 0, 2 ** 31 - 1) ?? 0;
  const out = resolve(values.out ?? 'generated.png');
  if (!existsSync(dirname(out))) throw new nb.NotFoundError(`${COMMAND}: the folder of '${out}' does not exist; create it first.`);
  const model = nb.keras.loadModel(path);
  const latentDim = latentDimOf(model, path);
  nb.setSeed(seed);
  const images = model.predict(nb.randomNormal([count, latentDim]), { batchSize: 256 }) as nb.Tensor;
  nb.data.image.writeImage(out, sampleGrid(images, columns));
  console.log(`Wrote ${count} generated images (${images.shape.slice(1).join('x')}) to ${out}`);
  if (values.json) printJson({ file: out, count, latentDim, imageShape: images.shape.slice(1) });
}
