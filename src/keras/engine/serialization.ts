import { InvalidArgumentError } from '../../core/errors.js';
import type { Layer } from './layer.js';

/** A layer class that can be rebuilt from its config. */
export interface LayerClass {
  readonly className: string;
  fromConfig(config: Record<string, unknown>, customObjects?: Record<string, LayerClass>): Layer;
}

const registry = new Map<string, LayerClass>();

/**
 * Registers a layer class under its `className` so saved models can rebuild it. Built-in layers
 * register themselves; custom layers must be registered (or passed as customObjects) to load.
 *
 * @example `nb.keras.registerLayer(MyLayer)`
 */
export function registerLayer(cls: LayerClass): void {
  registry.set(cls.className, cls);
}

/** The serialised form of a layer, as in Keras configs. */
export interface SerializedLayer {
  className: string;
  config: Record<string, unknown>;
}

export function serializeLayer(layer: Layer): SerializedLayer {
  return { className: layer.getClassName(), config: layer.getConfig() };
}

/** Rebuilds a layer (without weights) from `{className, config}`. */
export function deserializeLayer(serialized: SerializedLayer, customObjects: Record<string, LayerClass> = {}): Layer {
  const cls = customObjects[serialized.className] ?? registry.get(serialized.className);
  if (!cls) {
    throw new InvalidArgumentError(
      `Unknown layer class '${serialized.className}'. Register custom layers with nb.keras.registerLayer(cls) or pass them in customObjects.`,
    );
  }
  return cls.fromConfig(serialized.config, customObjects);
}
