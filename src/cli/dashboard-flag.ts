import { mkdirSync } from 'node:fs';
import { startDashboardInBackground } from '../dashboard/background.js';
import { intFlag } from './args.js';

/** The flags every `nabla train ...` command accepts for a live dashboard. */
export const DASHBOARD_OPTIONS = {
  dashboard: { type: 'boolean' },
  'dashboard-port': { type: 'string' },
} as const;

/**
 * Help lines for {@link DASHBOARD_OPTIONS}, with descriptions starting at `column` so they line up
 * with the command's other options.
 */
export function dashboardHelp(column = 21): string {
  const line = (flag: string, text: string[]) => {
    const rest = text.slice(1).map((t) => `${' '.repeat(column)}${t}\n`).join('');
    return flag.length <= column - 3 ? `  ${flag.padEnd(column - 3)} ${text[0]}\n${rest}` : `  ${flag}\n${' '.repeat(column)}${text[0]}\n${rest}`;
  };
  return (
    line('--dashboard', ["serve a live dashboard over this run's logs and print its URL;", 'when training ends it stays up until Ctrl-C']) +
    line('--dashboard-port N', ['port of that dashboard (default 6006, a free one when taken)'])
  );
}

/** A dashboard started by `--dashboard` for one training run. */
export interface RunDashboard {
  readonly url: string;
  /**
   * Call when the run is over: says where the dashboard is and keeps serving until the user
   * presses Ctrl-C (SIGINT) or the process gets SIGTERM, then closes it.
   */
  finish(): Promise<void>;
  /** Closes the server at once (the run failed). */
  close(): Promise<void>;
}

/**
 * Starts the dashboard of a training command when `--dashboard` was given (null otherwise). The
 * URL and later messages go to stderr, so stdout keeps ending with the `--json` line.
 *
 * @example
 * ```ts
 * const dash = await startRunDashboard('nabla train mnist', values, outDir);
 * try { await train(); } catch (e) { await dash?.close(); throw e; }
 * await dash?.finish();
 * ```
 */
export async function startRunDashboard(
  command: string,
  values: { dashboard?: boolean; 'dashboard-port'?: string },
  logdir: string,
): Promise<RunDashboard | null> {
  const port = intFlag(command, 'dashboard-port', values['dashboard-port'], 0, 65535);
  if (!values.dashboard) return null;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  mkdirSync(logdir, { recursive: true });
  // On its own thread: several apps train in synchronous loops that would starve an in-thread server.
  const dash = await startDashboardInBackground({ logdir, port: port ?? 6006, host: '127.0.0.1' }, true);
  say(`dashboard: ${dash.url} (serving ${logdir})`);
  return {
    url: dash.url,
    close: () => dash.close(),
    async finish() {
      say(`${command}: done; the dashboard stays up at ${dash.url} (Ctrl-C to stop)`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await dash.close();
    },
  };
}

/**
 * Runs `train` under the `--dashboard` flag's dashboard (if any): started before training over
 * `logdir`, closed at once if training throws, kept up after success until Ctrl-C. `report` runs
 * after training and before the wait (it prints the figures and the `--json` line).
 *
 * @example
 * ```ts
 * await withRunDashboard(COMMAND, values, outDir, () => trainMnist({outDir}), (r) => printJson(r));
 * ```
 */
export async function withRunDashboard<T>(
  command: string,
  values: { dashboard?: boolean; 'dashboard-port'?: string },
  logdir: string,
  train: () => Promise<T>,
  report: (result: T) => void = () => {},
): Promise<T> {
  const dash = await startRunDashboard(command, values, logdir);
  let result: T;
  try {
    result = await train();
  } catch (e) {
    await dash?.close();
    throw e;
  }
  report(result);
  await dash?.finish();
  return result;
}
