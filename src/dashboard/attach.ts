import { mkdirSync } from 'node:fs';
import { startDashboard, type Dashboard } from './server.js';

export interface AttachOptions {
  /** Preferred port (default 6006); when taken, a free one is used instead. */
  port?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Where the URL line goes (default console.log). */
  log?: (line: string) => void;
}

/**
 * Starts a dashboard over a training run's log directory (created if missing) and prints its URL:
 * what a `--dashboard` flag on a training command does. Close it when the command ends, or keep
 * it open for the user to look at.
 *
 * @example
 * ```ts
 * const dash = await attachDashboard('runs/mnist');   // prints "dashboard: http://127.0.0.1:6006/"
 * try { await train(); } finally { await dash.close(); }
 * ```
 */
export async function attachDashboard(logdir: string, options: AttachOptions = {}): Promise<Dashboard> {
  mkdirSync(logdir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  let dash: Dashboard;
  try {
    dash = await startDashboard({ logdir, host, port: options.port ?? 6006 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    dash = await startDashboard({ logdir, host, port: 0 });
  }
  (options.log ?? console.log)(`dashboard: ${dash.url} (serving ${logdir})`);
  return dash;
}
