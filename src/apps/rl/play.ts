// `nabla rl play`: runs a saved agent greedily, optionally recording the frames as an animated GIF.
import * as nb from '../../index.js';
import { pixelsPreprocessed, RL_ENVS } from './algorithms.js';
import { writeGif } from './gif.js';

export interface RlPlayOptions {
  agentPath: string;
  /** Env to play in (default: the one the agent was trained on). */
  env?: string;
  episodes?: number;
  seed?: number;
  /** Write the first episode's frames here as an animated GIF. */
  gifPath?: string | null;
  /** Frames kept in the GIF at most (default 500). */
  maxGifFrames?: number;
  log?: (line: string) => void;
}

export interface RlPlayResult {
  env: string;
  algorithm: string;
  episodes: number;
  meanReturn: number;
  successRate: number;
  returns: number[];
  gif: string | null;
}

/**
 * Plays a saved agent for some episodes and reports the returns.
 *
 * @example
 * ```ts
 * const r = playRl({agentPath: 'runs/x/agent.json', episodes: 10, gifPath: 'play.gif'});
 * ```
 */
export function playRl(options: RlPlayOptions): RlPlayResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const agent = nb.rl.loadAgent(options.agentPath);
  const entry = options.env === undefined ? { id: agent.env, options: agent.envOptions ?? {} } : RL_ENVS[options.env];
  if (!entry) throw new nb.NotFoundError(`nabla rl play: unknown env '${options.env}'; available: ${Object.keys(RL_ENVS).join(', ')}.`);
  const env = pixelsPreprocessed(nb.rl.make(entry.id, entry.options));
  const episodes = options.episodes ?? 10;
  const frames: nb.Tensor[] = [];
  const returns: number[] = [];
  const maxFrames = options.maxGifFrames ?? 500;
  for (let ep = 0; ep < episodes; ep++) {
    let [obs] = env.reset(ep === 0 ? { seed: options.seed ?? 0 } : {});
    const record = ep === 0 && !!options.gifPath;
    if (record) frames.push(env.render());
    let G = 0;
    for (;;) {
      const [next, r, terminated, truncated] = env.step(agent.act(obs as number | Float32Array));
      G += r;
      obs = next;
      if (record && frames.length < maxFrames) frames.push(env.render());
      if (terminated || truncated) break;
    }
    returns.push(G);
    log(`episode ${ep + 1}: return ${G}`);
  }
  let gif: string | null = null;
  if (options.gifPath) {
    writeGif(options.gifPath, frames, { delayMs: 40 });
    gif = options.gifPath;
    log(`Wrote ${frames.length} frames to ${gif}`);
  }
  const meanReturn = returns.reduce((a, b) => a + b, 0) / episodes;
  return { env: options.env ?? agent.env, algorithm: agent.algorithm, episodes, meanReturn, successRate: returns.filter((g) => g > 0).length / episodes, returns, gif };
}
