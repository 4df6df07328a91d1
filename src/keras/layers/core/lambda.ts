import { InvalidArgumentError } from '../../../core/errors.js';
import { Tensor } from '../../../core/tensor.js';
import { Layer, type CallArgs, type LayerArgs } from '../../engine/layer.js';
import { registerLayer } from '../../engine/serialization.js';
import type { SymbolicShape } from '../../engine/symbolic.js';

/** The function a Lambda layer wraps: tensors in, tensors out, built from ops. */
export type LambdaFn = (inputs: Tensor | Tensor[], args: Record<string, unknown>) => Tensor | Tensor[];

/** Output shape of a Lambda: a shape without the batch dim, or a function of the input shape(s). */
export type LambdaOutputShape =
  | readonly (number | null)[]
  | ((inputShape: SymbolicShape | SymbolicShape[]) => SymbolicShape | SymbolicShape[]);

export interface LambdaArgs extends LayerArgs {
  /** The function, or the name it was registered under with `registerLambda`. */
  function: LambdaFn | string;
  /**
   * Output shape (batch dim excluded) or a function computing the full output shape; when
   * omitted it is found by running the function once on zeros.
   */
  outputShape?: LambdaOutputShape | null;
  /** Extra (JSON-serialisable) arguments passed to the function. */
  arguments?: Record<string, unknown>;
}

const lambdaRegistry = new Map<string, LambdaFn>();

/**
 * Registers a function under `name` so Lambda layers using it can be saved and rebuilt from
 * their config (functions themselves cannot be serialised).
 *
 * @example
 * ```ts
 * nb.keras.layers.registerLambda('double', (x) => nb.mul(x as nb.Tensor, 2));
 * const layer = nb.keras.layers.lambda({function: 'double'});
 * ```
 */
export function registerLambda(name: string, fn: LambdaFn): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(`registerLambda: name must be a non-empty string, got ${JSON.stringify(name)}.`);
  }
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError(`registerLambda('${name}'): fn must be a function, got ${typeof fn}.`);
  }
  lambdaRegistry.set(name, fn);
}

function registeredName(fn: LambdaFn): string | undefined {
  for (const [name, f] of lambdaRegistry) if (f === fn) return name;
  return undefined;
}

/**
 * Wraps an arbitrary function of tensors as a layer. Write the function with ops so gradients
 * flow. To save and reload a model with a Lambda, register the function with `registerLambda`
 * (the config stores its name).
 *
 * @example
 * ```ts
 * const square = nb.keras.layers.lambda({function: (x) => nb.square(x as nb.Tensor)});
 * square.apply(nb.tensor([[1, 2]])); // [[1, 4]]
 * ```
 */
export class Lambda extends Layer {
  static override readonly className = 'Lambda';
  protected override readonly acceptsList = true;
  readonly fn: LambdaFn;
  /** The registered name (or the function's own name) stored in the config. */
  readonly functionName: string;
  readonly outputShape: LambdaOutputShape | null;
  readonly arguments: Record<string, unknown>;

  constructor(args: LambdaArgs) {
    super(args);
    const f = args.function;
    if (typeof f === 'string') {
      const found = lambdaRegistry.get(f);
      if (!found) {
        const known = [...lambdaRegistry.keys()];
        throw new InvalidArgumentError(
          `Lambda '${this.name}': no function registered as '${f}'. Register it with nb.keras.layers.registerLambda('${f}', fn) before loading the layer${known.length ? ` (registered: ${known.join(', ')})` : ''}.`,
        );
      }
      this.fn = found;
      this.functionName = f;
    } else if (typeof f === 'function') {
      this.fn = f;
      this.functionName = registeredName(f) ?? (f.name || 'lambda');
    } else {
      throw new InvalidArgumentError(`Lambda '${this.name}': function must be a function or a registered name, got ${typeof f}.`);
    }
    const os = args.outputShape ?? null;
    if (os !== null && typeof os !== 'function' && (!Array.isArray(os) || os.some((d) => d !== null && !(Number.isInteger(d) && d >= 0)))) {
      throw new InvalidArgumentError(
        `Lambda '${this.name}': outputShape must be an array of non-negative integers or nulls (batch dim excluded) or a function, got ${JSON.stringify(os)}.`,
      );
    }
    this.outputShape = os;
    this.arguments = { ...(args.arguments ?? {}) };
  }

  override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor | Tensor[] {
    const out = this.fn(inputs, this.arguments);
    const list = Array.isArray(out) ? out : [out];
    if (list.length === 0 || list.some((t) => !(t instanceof Tensor))) {
      throw new InvalidArgumentError(`Lambda '${this.name}': the function '${this.functionName}' must return a Tensor or an array of Tensors.`);
    }
    return out;
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const os = this.outputShape;
    if (os === null) return super.computeOutputShape(inputShape);
    if (typeof os === 'function') return os(inputShape);
    const first = Array.isArray(inputShape[0]) ? (inputShape as SymbolicShape[])[0]! : (inputShape as SymbolicShape);
    return [first[0] ?? null, ...os];
  }

  override getConfig(): Record<string, unknown> {
    // A function outputShape cannot be stored; the rebuilt layer then finds its shape by probing.
    const os = typeof this.outputShape === 'function' ? null : this.outputShape;
    return {
      ...super.getConfig(),
      function: this.functionName,
      outputShape: os === null ? null : [...os],
      arguments: { ...this.arguments },
    };
  }

  /** Rebuilds a Lambda whose function was registered with `registerLambda` under the stored name. */
  static fromConfig(config: Record<string, unknown>): Lambda {
    const name = config.function;
    if (typeof name !== 'string' || !lambdaRegistry.has(name)) {
      throw new InvalidArgumentError(
        `Lambda.fromConfig: unknown function ${JSON.stringify(name)}. Lambda functions cannot be serialised; register it first with nb.keras.layers.registerLambda(${JSON.stringify(name)}, fn).`,
      );
    }
    return new Lambda(config as unknown as LambdaArgs);
  }
}
registerLayer(Lambda);

/**
 * Creates a Lambda layer.
 *
 * @example
 * ```ts
 * nb.keras.layers.lambda({function: (xs) => nb.concat(xs as nb.Tensor[], -1)});
 * ```
 */
export function lambda(args: LambdaArgs): Lambda {
  return new Lambda(args);
}
