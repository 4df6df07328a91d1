import { Worker } from 'node:worker_threads';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import type { DashboardOptions } from './server.js';

/** A dashboard served from a worker thread. */
export interface BackgroundDashboard {
  url: string;
  port: number;
  /** Stops the server and its thread. */
  close(): Promise<void>;
}

type Reply = { kind: 'ready'; url: string; port: number } | { kind: 'error'; name: string; message: string; code?: string } | { kind: 'closed' };

/** Source of the worker: the compiled entry, or (running from TypeScript sources under tsx) the .ts one loaded through tsx. */
function workerSource(): string {
  const fromTs = import.meta.url.endsWith('.ts');
  const entry = new URL(`./worker-entry${fromTs ? '.ts' : '.js'}`, import.meta.url).href;
  if (!fromTs) return `import(${JSON.stringify(entry)});`;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsxApi)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * Starts `nabla dashboard` on its own thread, so it keeps serving while this thread trains in a
 * synchronous loop (a GradientTape loop, DQN, style transfer). With `fallbackToFreePort`, a port
 * already in use is replaced by a free one.
 *
 * @example
 * ```ts
 * const dash = await startDashboardInBackground({logdir: 'runs/dqn-1', port: 6006}, true);
 * console.log(dash.url);
 * trainDqn(env, {steps: 50000});   // the page updates as the run log grows
 * await dash.close();
 * ```
 */
export function startDashboardInBackground(options: DashboardOptions, fallbackToFreePort = false): Promise<BackgroundDashboard> {
  const worker = new Worker(workerSource(), { eval: true, workerData: { options, fallbackToFreePort } });
  return new Promise((resolve, reject) => {
    const failed = (e: Error) => {
      void worker.terminate();
      reject(e);
    };
    worker.once('error', failed);
    worker.once('message', (m: Reply) => {
      worker.off('error', failed);
      if (m.kind === 'error') {
        const Err = m.name === 'NotFoundError' ? NotFoundError : InvalidArgumentError;
        failed(m.code ? Object.assign(new Error(m.message), { code: m.code }) : new Err(m.message));
        return;
      }
      if (m.kind !== 'ready') return failed(new Error(`nabla dashboard: unexpected message from the server thread: ${m.kind}`));
      let closing: Promise<void> | null = null;
      resolve({
        url: m.url,
        port: m.port,
        close: () =>
          (closing ??= new Promise<void>((done) => {
            worker.once('message', () => void worker.terminate().then(() => done()));
            worker.postMessage({ kind: 'close' });
          })),
      });
    });
  });
}
