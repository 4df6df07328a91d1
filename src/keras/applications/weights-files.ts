// Where the pretrained weight files of keras.applications are looked for. nabla downloads nothing:
// the user places the file Keras itself downloads in one of these folders.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';

/** `'imagenet'`, a path to a Keras HDF5 weight file, or null (random weights). */
export type WeightsArg = 'imagenet' | (string & {}) | null;

const BASE_URL = 'https://storage.googleapis.com/tensorflow/keras-applications';

/** The file name Keras uses for a model's ImageNet weights, e.g. `vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5`. */
export function imagenetWeightsFileName(kind: 'vgg16' | 'vgg19', includeTop: boolean): string {
  return `${kind}_weights_tf_dim_ordering_tf_kernels${includeTop ? '' : '_notop'}.h5`;
}

/**
 * Folders searched for pretrained weights, in order: `$NABLA_DATA_DIR/models`, `$NABLA_DATA_DIR`,
 * `~/.nabla/models`, `~/.keras/models` (where Keras caches its downloads).
 */
export function weightsSearchDirs(): string[] {
  const dirs: string[] = [];
  const dataDir = process.env['NABLA_DATA_DIR'];
  if (dataDir) dirs.push(join(dataDir, 'models'), dataDir);
  const home = homedir();
  dirs.push(join(home, '.nabla', 'models'), join(home, '.keras', 'models'));
  return dirs;
}

/**
 * Resolves a `weights` argument to a file path: a given path must exist; `'imagenet'` is searched
 * in `weightsSearchDirs()`. Throws a NotFoundError naming the file, the folders and the URL Keras
 * downloads it from.
 *
 * @example
 * ```ts
 * nb.keras.applications.findWeightsFile('vgg19', false, 'imagenet');
 * // '/home/me/.keras/models/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'
 * ```
 */
export function findWeightsFile(kind: 'vgg16' | 'vgg19', includeTop: boolean, weights: string, where = kind.toUpperCase()): string {
  if (typeof weights !== 'string' || weights === '') {
    throw new InvalidArgumentError(`${where}: weights must be 'imagenet', a path to a Keras .h5 weight file, or null; got ${JSON.stringify(weights)}.`);
  }
  if (weights !== 'imagenet') {
    if (!existsSync(weights) || !statSync(weights).isFile()) {
      throw new NotFoundError(`${where}: the weight file '${weights}' does not exist; give the path of a Keras HDF5 weight file (e.g. ${imagenetWeightsFileName(kind, includeTop)}).`);
    }
    return weights;
  }
  const name = imagenetWeightsFileName(kind, includeTop);
  const dirs = weightsSearchDirs();
  for (const dir of dirs) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new NotFoundError(
    `${where}: ImageNet weights not found: nabla needs the Keras file '${name}' and downloads nothing. ` +
      `Looked in ${dirs.join(', ')}. Place the file in ${join(homedir(), '.nabla', 'models')}/ (or ~/.keras/models/, or $NABLA_DATA_DIR/models/), ` +
      `or pass weights: '/path/to/${name}'. Keras downloads it from ${BASE_URL}/${kind}/${name}.`,
  );
}
