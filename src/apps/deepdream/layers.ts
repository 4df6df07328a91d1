// Which VGG19 layers a dream maximises, and with what weight: names checked against the network.
import * as nb from '../../index.js';

/** Default dream layers: mid/high-level VGG19 features (object parts rather than edges). */
export const DEFAULT_DREAM_LAYERS: readonly DreamLayer[] = [
  { name: 'block4_conv3', weight: 1 },
  { name: 'block5_conv1', weight: 1 },
];

/** One layer of the dream objective and its weight. */
export interface DreamLayer {
  name: string;
  weight: number;
}

/** Conv layers per block of VGG19 (Keras names: block{b}_conv{i}, block{b}_pool). */
const VGG19_BLOCKS = [2, 2, 4, 4, 4] as const;

/** Every VGG19 (no top) layer a dream may use: the 16 convolutions and the 5 poolings, in order. */
export const VGG19_FEATURE_LAYERS: readonly string[] = VGG19_BLOCKS.flatMap((convs, b) => [
  ...Array.from({ length: convs }, (_, i) => `block${b + 1}_conv${i + 1}`),
  `block${b + 1}_pool`,
]);

/**
 * Parses a layer list `'a,b'` or `'a:1.0,b:0.5'` (weight 1 when omitted) and checks every name
 * against VGG19's layers; an unknown name or a bad weight is an InvalidArgumentError that lists
 * the valid names.
 *
 * @example
 * ```ts
 * parseDreamLayers('block4_conv3:1,block5_conv1:0.5');
 * // [{name: 'block4_conv3', weight: 1}, {name: 'block5_conv1', weight: 0.5}]
 * ```
 */
export function parseDreamLayers(spec: string | readonly (string | DreamLayer)[]): DreamLayer[] {
  const items = typeof spec === 'string' ? spec.split(',').map((s) => s.trim()).filter((s) => s !== '') : [...spec];
  if (items.length === 0) {
    throw new nb.InvalidArgumentError(`deepdream: expected at least one layer, got none; e.g. 'block4_conv3,block5_conv1'. Valid layers: ${VGG19_FEATURE_LAYERS.join(', ')}.`);
  }
  const seen = new Set<string>();
  return items.map((item) => {
    let layer: DreamLayer;
    if (typeof item === 'string') {
      const [name, weightText, ...extra] = item.split(':');
      const weight = weightText === undefined ? 1 : Number(weightText);
      if (extra.length > 0 || (weightText !== undefined && weightText.trim() === '')) {
        throw new nb.InvalidArgumentError(`deepdream: layer entry '${item}' is not NAME or NAME:WEIGHT (e.g. block5_conv1:0.5).`);
      }
      layer = { name: name!.trim(), weight };
    } else {
      layer = { name: item.name, weight: item.weight };
    }
    if (!VGG19_FEATURE_LAYERS.includes(layer.name)) {
      throw new nb.InvalidArgumentError(`deepdream: unknown VGG19 layer '${layer.name}'. Valid layers: ${VGG19_FEATURE_LAYERS.join(', ')}.`);
    }
    if (!Number.isFinite(layer.weight) || layer.weight <= 0) {
      throw new nb.InvalidArgumentError(`deepdream: the weight of layer '${layer.name}' must be a positive number, got ${String(layer.weight)}.`);
    }
    if (seen.has(layer.name)) throw new nb.InvalidArgumentError(`deepdream: layer '${layer.name}' is given twice; give each layer once.`);
    seen.add(layer.name);
    return layer;
  });
}
