// make(id): the registered environments, wrapped in their time limit as Gymnasium's make does.
import { InvalidArgumentError, NotFoundError } from '../../core/errors.js';
import type { Env } from '../env.js';
import { TimeLimit } from '../wrappers.js';
import { BreakoutMinAtar, type BreakoutMinAtarOptions } from './breakout-minatar.js';
import { BreakoutPixels, type BreakoutPixelsOptions } from './breakout-pixels.js';
import { CartPole } from './cartpole.js';
import { FrozenLake, type FrozenLakeOptions } from './frozen-lake.js';
import { GridWorld, type GridWorldOptions } from './gridworld.js';
import { MountainCar } from './mountain-car.js';

/** Options of `make`: the env's own options plus `maxEpisodeSteps` (null: no time limit). */
export interface MakeOptions extends FrozenLakeOptions, Omit<GridWorldOptions, 'map'>, BreakoutMinAtarOptions, BreakoutPixelsOptions {
  maxEpisodeSteps?: number | null;
}

/** Observation and action types of the registered ids. */
export interface EnvTypes {
  'GridWorld-v0': Env<number, number>;
  'FrozenLake-v1': Env<number, number>;
  'FrozenLake8x8-v1': Env<number, number>;
  'CartPole-v1': Env<Float32Array, number>;
  'MountainCar-v0': Env<Float32Array, number>;
  'Breakout-MinAtar': Env<Float32Array, number>;
  'Breakout-Pixels': Env<Float32Array, number>;
}

type Factory = (options: MakeOptions) => Env<unknown, unknown>;

const registry = new Map<string, Factory>([
  ['GridWorld-v0', (o) => new GridWorld({ ...o, map: Array.isArray(o.map) ? o.map : undefined })],
  ['FrozenLake-v1', (o) => new FrozenLake(o)],
  ['FrozenLake8x8-v1', (o) => new FrozenLake({ ...o, map: o.map ?? '8x8' })],
  ['CartPole-v1', () => new CartPole()],
  ['MountainCar-v0', () => new MountainCar()],
  ['Breakout-MinAtar', (o) => new BreakoutMinAtar(o)],
  ['Breakout-Pixels', (o) => new BreakoutPixels(o)],
]);

/** The ids `make` knows, in registration order. */
export function listEnvs(): string[] {
  return [...registry.keys()];
}

/** Adds (or replaces) an id for `make`. */
export function registerEnv(id: string, factory: Factory): void {
  if (typeof id !== 'string' || id === '') throw new InvalidArgumentError(`registerEnv: id must be a non-empty string, got ${JSON.stringify(id)}.`);
  registry.set(id, factory);
}

/**
 * Creates a registered environment, wrapped in `TimeLimit` at its spec's episode length
 * (CartPole-v1 500, FrozenLake-v1 100, FrozenLake8x8-v1 200, MountainCar-v0 200) unless
 * `maxEpisodeSteps` says otherwise.
 *
 * @example
 * ```ts
 * const env = nb.rl.make('FrozenLake-v1', {isSlippery: false});
 * const cart = nb.rl.make('CartPole-v1');
 * ```
 */
export function make<K extends keyof EnvTypes>(id: K, options?: MakeOptions): EnvTypes[K];
export function make(id: string, options?: MakeOptions): Env<unknown, unknown>;
export function make(id: string, options: MakeOptions = {}): Env<unknown, unknown> {
  const factory = registry.get(id);
  if (!factory) throw new NotFoundError(`rl.make: unknown environment '${id}'; registered: ${listEnvs().join(', ')}.`);
  const env = factory(options);
  if (env.spec) env.spec = { ...env.spec, id };
  const limit = options.maxEpisodeSteps === undefined ? (env.spec?.maxEpisodeSteps ?? null) : options.maxEpisodeSteps;
  if (limit === null) return env;
  const wrapped = new TimeLimit(env, limit);
  if (wrapped.spec) wrapped.spec = { ...wrapped.spec, maxEpisodeSteps: limit };
  return wrapped;
}
