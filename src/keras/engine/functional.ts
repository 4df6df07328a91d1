import { InvalidArgumentError, ShapeError } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { InputLayer } from './input-layer.js';
import { Layer, type CallArgs, type LayerInput, type LayerOutput } from './layer.js';
import { Model } from './model.js';
import { deserializeLayer, registerLayer, serializeLayer, type LayerClass } from './serialization.js';
import { Node, SymbolicTensor, type SymbolicShape } from './symbolic.js';

export interface FunctionalArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
  trainable?: boolean;
}

/** `[layerName, nodeIndex, tensorIndex]`, as Keras configs address a tensor. */
type TensorRef = [string, number, number];

function describe(t: SymbolicTensor): string {
  return `${t.name} (shape [${t.shape.map((d) => d ?? 'None').join(', ')}])`;
}

/**
 * A model defined by connecting layers from inputs to outputs (Keras's functional API): a DAG
 * with any number of inputs and outputs, shared layers and nested models.
 *
 * @example
 * ```ts
 * const inputs = nb.keras.input({shape: [784]});
 * const hidden = nb.keras.layers.dense({units: 64, activation: 'relu'}).apply(inputs);
 * const outputs = nb.keras.layers.dense({units: 10, activation: 'softmax'}).apply(hidden);
 * const model = nb.keras.model({inputs, outputs});
 * ```
 */
export class Functional extends Model {
  static override readonly className: string = 'Functional';
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Nodes in execution order (input nodes excluded). */
  private readonly nodes: Node[];
  private readonly modelLayers: Layer[];
  private readonly singleInput: boolean;
  private readonly singleOutput: boolean;

  constructor(args: FunctionalArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.singleInput = !Array.isArray(args.inputs);
    this.singleOutput = !Array.isArray(args.outputs);
    this.inputs = Array.isArray(args.inputs) ? [...args.inputs] : [args.inputs];
    this.outputs = Array.isArray(args.outputs) ? [...args.outputs] : [args.outputs];
    for (const t of [...this.inputs, ...this.outputs]) {
      if (!(t instanceof SymbolicTensor)) {
        throw new InvalidArgumentError(`${this.name}: inputs and outputs must be symbolic tensors from nb.keras.input() and layer.apply(), got ${String(t)}.`);
      }
    }
    for (const t of this.inputs) {
      if (!(t.node.layer instanceof InputLayer)) {
        throw new InvalidArgumentError(
          `${this.name}: every model input must come from nb.keras.input(); ${describe(t)} is the output of layer '${t.node.layer.name}'.`,
        );
      }
    }
    this.nodes = this.traceNodes();
    const layers: Layer[] = [];
    for (const t of this.inputs) layers.push(t.node.layer);
    for (const node of this.nodes) if (!layers.includes(node.layer)) layers.push(node.layer);
    this.modelLayers = layers;
    this.batchInputShape = this.inputs[0]!.shape;
    this.built = true;
  }

  /** Topological order of the nodes from the inputs to the outputs; fails on a disconnected graph. */
  private traceNodes(): Node[] {
    const inputNodes = new Set(this.inputs.map((t) => t.node));
    const order: Node[] = [];
    const state = new Map<Node, 'visiting' | 'done'>();
    const visit = (node: Node, consumer: string): void => {
      const s = state.get(node);
      if (s === 'done') return;
      if (s === 'visiting') throw new InvalidArgumentError(`${this.name}: the layer graph has a cycle at layer '${node.layer.name}'.`);
      if (inputNodes.has(node)) {
        state.set(node, 'done');
        return;
      }
      if (node.layer instanceof InputLayer) {
        throw new InvalidArgumentError(
          `${this.name}: graph disconnected: layer '${consumer}' needs input '${node.layer.name}', which is not in the model's inputs (${this.inputs.map((t) => t.node.layer.name).join(', ')}).`,
        );
      }
      state.set(node, 'visiting');
      for (const t of node.inputs) visit(t.node, node.layer.name);
      state.set(node, 'done');
      order.push(node);
    };
    for (const t of this.outputs) visit(t.node, '(model output)');
    return order;
  }

  override get layers(): Layer[] {
    return [...this.modelLayers];
  }

  override sublayers(): Layer[] {
    return this.modelLayers;
  }

  override get inputNames(): string[] {
    return this.inputs.map((t) => t.node.layer.name);
  }

  override get outputNames(): string[] {
    return this.outputs.map((t) => t.node.layer.name);
  }

  protected override validateInputs(xs: readonly Tensor[], where: string): void {
    xs.forEach((x, i) => {
      const expected = this.inputs[i]!.shape;
      const ok = x.rank === expected.length && expected.every((d, k) => d === null || d === x.shape[k]);
      if (!ok) {
        throw new ShapeError(
          `${this.name}.${where}: input '${this.inputNames[i]}' expects shape [${expected.map((d) => d ?? 'None').join(', ')}] but the data has shape [${x.shape.join(', ')}].`,
        );
      }
      const dtype = this.inputs[i]!.dtype;
      if (dtype === 'float32' && x.dtype !== 'float32') {
        throw new ShapeError(`${this.name}.${where}: input '${this.inputNames[i]}' expects float32 data but got ${x.dtype}; cast it with nb.cast(x, 'float32').`);
      }
    });
  }

  override call(inputs: LayerInput, args: CallArgs = {}): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length !== this.inputs.length) {
      throw new InvalidArgumentError(`${this.name}: expected ${this.inputs.length} input tensor(s), got ${list.length}.`);
    }
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => values.set(t, list[i]!));
    for (const node of this.nodes) {
      const ins = node.inputs.map((t) => values.get(t)!);
      const nodeArgs: CallArgs = { ...node.callArgs };
      if (nodeArgs.training === undefined) nodeArgs.training = args.training;
      const out = node.layer.apply(node.inputIsList ? ins : ins[0]!, nodeArgs);
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((t, i) => values.set(t, outs[i]!));
    }
    const outs = this.outputs.map((t) => values.get(t)!);
    return this.singleOutput ? outs[0]! : outs;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const shapes = this.singleInput ? [inputShape as SymbolicShape] : (inputShape as SymbolicShape[]);
    const known = new Map<SymbolicTensor, SymbolicShape>();
    this.inputs.forEach((t, i) => known.set(t, shapes[i] ?? t.shape));
    for (const node of this.nodes) {
      const ins = node.inputs.map((t) => known.get(t)!);
      const out = node.layer.computeOutputShape(node.inputIsList ? ins : ins[0]!);
      const outs = node.outputs.length > 1 ? (out as SymbolicShape[]) : [out as SymbolicShape];
      node.outputs.forEach((t, i) => known.set(t, outs[i]!));
    }
    const outs = this.outputs.map((t) => known.get(t)!);
    return this.singleOutput ? outs[0]! : outs;
  }

  /** The nodes of `layer` that belong to this model, in creation order (for config indices). */
  private nodesOf(layer: Layer): Node[] {
    const mine = new Set<Node>([...this.nodes, ...this.inputs.map((t) => t.node)]);
    return layer.inboundNodes.filter((n) => mine.has(n));
  }

  private ref(t: SymbolicTensor): TensorRef {
    const layer = t.node.layer;
    return [layer.name, this.nodesOf(layer).indexOf(t.node), t.outputIndex];
  }

  /** Keras's functional config: layers with their inbound nodes, and the input/output refs. */
  override getConfig(): Record<string, unknown> {
    const layers = this.modelLayers.map((layer) => ({
      ...serializeLayer(layer),
      name: layer.name,
      inboundNodes: this.nodesOf(layer)
        .filter((n) => !(n.layer instanceof InputLayer))
        .map((n) => ({ args: n.inputs.map((t) => this.ref(t)), list: n.inputIsList, kwargs: plainArgs(n.callArgs) })),
    }));
    return {
      name: this.name,
      trainable: this.trainable,
      layers,
      inputLayers: this.inputs.map((t) => this.ref(t)),
      outputLayers: this.outputs.map((t) => this.ref(t)),
      singleInput: this.singleInput,
      singleOutput: this.singleOutput,
    };
  }

  /** Rebuilds the graph from `getConfig()` (layers without weights). */
  static fromConfig(config: Record<string, unknown>, customObjects: Record<string, LayerClass> = {}): Functional {
    type LayerEntry = { className: string; config: Record<string, unknown>; name: string; inboundNodes: { args: TensorRef[]; list: boolean; kwargs: Record<string, unknown> }[] };
    const entries = config['layers'] as LayerEntry[];
    const byName = new Map<string, Layer>();
    const created = new Map<string, SymbolicTensor[][]>();
    for (const e of entries) {
      const layer = deserializeLayer({ className: e.className, config: e.config }, customObjects);
      byName.set(e.name, layer);
      created.set(e.name, layer instanceof InputLayer ? [[layer.output]] : []);
    }
    // Apply nodes in dependency order: a node runs once all the tensors it consumes exist.
    const pending = entries.flatMap((e) => e.inboundNodes.map((n) => ({ layer: e.name, node: n })));
    const lookup = ([name, nodeIndex, tensorIndex]: TensorRef): SymbolicTensor | undefined => created.get(name)?.[nodeIndex]?.[tensorIndex];
    while (pending.length > 0) {
      const idx = pending.findIndex((p) => p.node.args.every((r) => lookup(r) !== undefined) && created.get(p.layer)!.length === nodeOrder(entries, p));
      if (idx < 0) throw new InvalidArgumentError(`Functional.fromConfig: the config's graph cannot be rebuilt (missing or cyclic inbound nodes).`);
      const { layer: name, node } = pending.splice(idx, 1)[0]!;
      const ins = node.args.map((r) => lookup(r)!);
      const out = byName.get(name)!.apply(node.list ? ins : ins[0]!, node.kwargs) as SymbolicTensor | SymbolicTensor[];
      created.get(name)!.push(Array.isArray(out) ? out : [out]);
    }
    const resolve = (refs: TensorRef[]) => refs.map((r) => {
      const t = lookup(r);
      if (!t) throw new InvalidArgumentError(`Functional.fromConfig: unknown tensor reference [${r.join(', ')}].`);
      return t;
    });
    const inputs = resolve(config['inputLayers'] as TensorRef[]);
    const outputs = resolve(config['outputLayers'] as TensorRef[]);
    return new this({
      name: config['name'] as string,
      trainable: config['trainable'] as boolean | undefined,
      inputs: config['singleInput'] === false || inputs.length > 1 ? inputs : inputs[0]!,
      outputs: config['singleOutput'] === false || outputs.length > 1 ? outputs : outputs[0]!,
    });
  }
}
registerLayer(Functional);

/** Position of a pending node among its layer's nodes (nodes of one layer are applied in order). */
function nodeOrder(entries: { name: string; inboundNodes: unknown[] }[], p: { layer: string; node: unknown }): number {
  return entries.find((e) => e.name === p.layer)!.inboundNodes.indexOf(p.node);
}

function plainArgs(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'object') continue;
    out[k] = v;
  }
  return out;
}

/**
 * Builds a functional model from symbolic inputs and outputs, like `keras.Model(inputs, outputs)`.
 *
 * @example
 * ```ts
 * const a = nb.keras.input({shape: [8]}), b = nb.keras.input({shape: [8]});
 * const merged = nb.keras.layers.concatenate().apply([a, b]);
 * const model = nb.keras.model({inputs: [a, b], outputs: nb.keras.layers.dense({units: 1}).apply(merged)});
 * ```
 */
export function model(args: FunctionalArgs): Functional {
  return new Functional(args);
}
