// Runs a dashboard server on its own thread (see background.ts), so it stays responsive while the
// main thread trains in long synchronous loops.
import { parentPort, workerData } from 'node:worker_threads';
import { startDashboard, type Dashboard, type DashboardOptions } from './server.js';

const port = parentPort!;
const { options, fallbackToFreePort } = workerData as { options: DashboardOptions; fallbackToFreePort: boolean };

async function start(): Promise<Dashboard> {
  try {
    return await startDashboard(options);
  } catch (e) {
    if (!fallbackToFreePort || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    return startDashboard({ ...options, port: 0 });
  }
}

start().then(
  (dash) => {
    port.postMessage({ kind: 'ready', url: dash.url, port: dash.port });
    port.on('message', (m: { kind: string }) => {
      if (m.kind === 'close') void dash.close().then(() => port.postMessage({ kind: 'closed' }));
    });
  },
  (e: Error) => port.postMessage({ kind: 'error', name: e.name, message: e.message, code: (e as NodeJS.ErrnoException).code }),
);
