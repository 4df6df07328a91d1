import { RL_ALGORITHMS, RL_ENVS } from '../apps/rl/algorithms.js';
import { playRl } from '../apps/rl/play.js';
import { defaultRlOutDir, trainRl } from '../apps/rl/train.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';

/** A positional argument that must be one of `choices`. */
function choiceArg<C extends string>(command: string, what: string, value: string, choices: readonly C[]): C {
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${command}: unknown ${what} '${value}'; expected one of ${choices.join(', ')}.`);
  return value as C;
}

export const RL_HELP = `Usage:
  nabla rl train ALGORITHM ENV [options]   train an agent (see 'nabla rl train --help')
  nabla rl play AGENT-FILE [ENV] [options] run a saved agent (see 'nabla rl play --help')
`;

export const RL_TRAIN_HELP = `Usage: nabla rl train ALGORITHM ENV [options]

Trains a reinforcement-learning agent, evaluates its greedy policy, and writes OUT/agent.json,
OUT/result.json, OUT/returns.png (return per episode with the mean of the last 100) and
OUT/report.html.

Algorithms: ${RL_ALGORITHMS.join(', ')}
  value-iteration, policy-iteration   dynamic programming on the env's model (GridWorld, FrozenLake)
  q-learning, sarsa, expected-sarsa   tabular TD control, ε-greedy (alpha 0.1)
  mc, mc-every-visit                  first-visit / every-visit Monte Carlo control, ε-greedy
  dqn, double-dqn, dueling-dqn        deep Q-network (CartPole-v1, MountainCar-v0, Breakout-MinAtar)
Envs: ${Object.keys(RL_ENVS).join(', ')}

Options:
  --steps N        env steps for DQN (default 50000)
  --episodes N     episodes for the tabular methods (default 20000)
  --gamma X        discount (default 0.99; 0.98 for DQN)
  --eval N         greedy evaluation episodes after training (default 100)
  --seed S         seed of the env, the exploration and the initial weights (default 0)
  --out DIR        output folder (default runs/rl-<algorithm>-<env>-<timestamp>)
  --json           end the output with one line holding a JSON object of the figures
                   (meanReturn100, envSteps, stepsPerSecond, solvedAtStep, evalMeanReturn, ...)
${dashboardHelp(19)}  -h, --help       print this help
`;

export const RL_PLAY_HELP = `Usage: nabla rl play AGENT-FILE [ENV] [options]

Runs an agent saved by 'nabla rl train' greedily (in the env it was trained on unless ENV is
given) and prints each episode's return.

Options:
  --episodes N     episodes (default 10)
  --seed S         seed of the first reset (default 0)
  --gif FILE       write the first episode as an animated GIF
  --json           end the output with one line holding a JSON object of the figures
  -h, --help       print this help
`;

async function trainCommand(args: string[]): Promise<void> {
  const command = 'nabla rl train';
  const { values, positionals } = parseCommand(
    command,
    args,
    {
      steps: { type: 'string' },
      episodes: { type: 'string' },
      gamma: { type: 'string' },
      eval: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      ...DASHBOARD_OPTIONS,
    },
    true,
  );
  if (values.help) {
    process.stdout.write(RL_TRAIN_HELP);
    return;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`${command}: expected ALGORITHM and ENV, got ${positionals.length} argument(s). Example: '${command} q-learning FrozenLake-v1'. See '${command} --help'.`);
  }
  const algorithm = choiceArg(command, 'algorithm', positionals[0]!, RL_ALGORITHMS);
  const env = choiceArg(command, 'env', positionals[1]!, Object.keys(RL_ENVS));
  const gamma = numberFlag(command, 'gamma', values.gamma);
  if (gamma !== undefined && !(gamma >= 0 && gamma <= 1)) throw new UsageError(`${command}: --gamma must be in [0, 1], got '${values.gamma}'.`);
  const outDir = values.out ?? defaultRlOutDir(algorithm, env);
  const options = {
    algorithm,
    env,
    steps: intFlag(command, 'steps', values.steps, 1),
    episodes: intFlag(command, 'episodes', values.episodes, 1),
    gamma,
    evalEpisodes: intFlag(command, 'eval', values.eval, 1),
    seed: intFlag(command, 'seed', values.seed, 0, 2 ** 32 - 1),
    outDir,
  };
  await withRunDashboard(command, values, outDir, () => trainRl(options), (result) => {
    if (values.json) printJson(result);
  });
}

function playCommand(args: string[]): void {
  const command = 'nabla rl play';
  const { values, positionals } = parseCommand(command, args, { episodes: { type: 'string' }, seed: { type: 'string' }, gif: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (values.help) {
    process.stdout.write(RL_PLAY_HELP);
    return;
  }
  if (positionals.length < 1 || positionals.length > 2) {
    throw new UsageError(`${command}: expected AGENT-FILE and optionally ENV, got ${positionals.length} argument(s). See '${command} --help'.`);
  }
  const result = playRl({
    agentPath: positionals[0]!,
    env: positionals[1] === undefined ? undefined : choiceArg(command, 'env', positionals[1], Object.keys(RL_ENVS)),
    episodes: intFlag(command, 'episodes', values.episodes, 1),
    seed: intFlag(command, 'seed', values.seed, 0, 2 ** 32 - 1),
    gifPath: values.gif ?? null,
  });
  console.log(`mean return ${result.meanReturn.toFixed(3)} over ${result.episodes} episodes`);
  if (values.json) printJson(result);
}

/** `nabla rl train|play ...` */
export async function rlCommand(args: string[]): Promise<void> {
  const [what, ...rest] = args;
  if (what === undefined || what === '--help' || what === '-h') {
    process.stdout.write(RL_HELP);
    return;
  }
  if (what === 'train') return trainCommand(rest);
  if (what === 'play') return playCommand(rest);
  throw new UsageError(`nabla rl: unknown subcommand '${what}'; expected train or play. See 'nabla rl --help'.`);
}
