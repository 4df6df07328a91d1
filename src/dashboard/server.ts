import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { dashboardPage } from './page.js';
import { isInside, RunStore } from './runs.js';

export interface DashboardOptions {
  /** Folder holding the runs (default `runs`). */
  logdir?: string;
  /** Port (default 6006; 0 picks a free one). */
  port?: number;
  /** Bind address (default 127.0.0.1: only this machine can connect). */
  host?: string;
  /** How often the server looks for new records, in ms (default 1000). */
  pollMs?: number;
}

export interface Dashboard {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.png': 'image/png', '.json': 'application/json', '.jsonl': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8' };

/** A browser build shipped inside an npm package (resolved from node_modules at run time). */
function vendorFile(pkg: string, file: string): string {
  const entry = createRequire(import.meta.url).resolve(pkg);
  const path = join(dirname(entry), file);
  if (!existsSync(path)) throw new NotFoundError(`nabla dashboard: ${pkg}'s browser build ${path} is missing; reinstall nabla's dependencies (npm install).`);
  return path;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

const json = (res: ServerResponse, value: unknown, status = 200) => send(res, status, 'application/json', JSON.stringify(value));

/**
 * Serves the nabla dashboard over the runs in `logdir`: a page with live scalar charts, image and
 * histogram panels and run metadata, plus its JSON API (`/api/runs`, `/api/run?run=R`,
 * `/api/file?run=R&path=P`, `/api/events` server-sent events). Only files under `logdir` are served.
 *
 * @example
 * ```ts
 * const dash = await startDashboard({logdir: 'runs', port: 0});
 * console.log(dash.url);
 * await dash.close();
 * ```
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const logdir = options.logdir ?? 'runs';
  if (!existsSync(logdir) || !statSync(logdir).isDirectory()) {
    throw new NotFoundError(`nabla dashboard: the log directory '${logdir}' does not exist; train with a TensorBoard callback or nb.summary writer first, or pass --logdir.`);
  }
  const port = options.port ?? 6006;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`nabla dashboard: port must be an integer from 0 to 65535, got ${port}.`);
  const host = options.host ?? '127.0.0.1';
  const store = new RunStore(logdir);
  const vendor: Record<string, string> = { '/static/vega.min.js': vendorFile('vega', 'vega.min.js'), '/static/vega-lite.min.js': vendorFile('vega-lite', 'vega-lite.min.js') };
  const page = dashboardPage();
  const listeners = new Set<ServerResponse>();
  let version = store.version();
  const timer = setInterval(() => {
    let v: string;
    try {
      v = store.version();
    } catch {
      return;
    }
    if (v === version) return;
    version = v;
    for (const res of listeners) res.write(`data: ${JSON.stringify({ changed: Date.now() })}\n\n`);
  }, options.pollMs ?? 1000);
  timer.unref();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const run = url.searchParams.get('run') ?? '';
    switch (url.pathname) {
      case '/':
      case '/index.html':
        return send(res, 200, 'text/html; charset=utf-8', page);
      case '/api/runs':
        return json(
          res,
          store.list().map((name) => {
            const dir = join(store.root, name);
            const d = store.data(dir);
            return { name, metadata: store.metadata(dir), tags: { scalars: Object.keys(d.scalars), images: Object.keys(d.images), histograms: Object.keys(d.histograms), text: Object.keys(d.text) } };
          }),
        );
      case '/api/run': {
        const dir = store.runDir(run);
        if (!dir) return json(res, { error: `no run '${run}' under the log directory` }, 404);
        return json(res, { name: run, metadata: store.metadata(dir), ...store.data(dir) });
      }
      case '/api/scalars': {
        const dir = store.runDir(run);
        if (!dir) return json(res, { error: `no run '${run}' under the log directory` }, 404);
        return json(res, store.data(dir).scalars);
      }
      case '/api/file': {
        const dir = store.runDir(run);
        const rel = url.searchParams.get('path') ?? '';
        const path = dir && !rel.startsWith('/') && !/^[a-zA-Z]:/.test(rel) ? store.resolveInside(join(run, rel)) : null;
        if (!dir || !path || !isInside(dir, path) || !statSync(path).isFile()) return send(res, 403, 'text/plain', 'forbidden: only files of a run under the log directory are served');
        return send(res, 200, TYPES[extname(path)] ?? 'application/octet-stream', readFileSync(path));
      }
      case '/api/events':
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write('retry: 2000\n\n');
        listeners.add(res);
        req.on('close', () => listeners.delete(res));
        return;
      default: {
        const file = vendor[url.pathname];
        if (file) return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(file));
        return send(res, 404, 'text/plain', 'not found');
      }
    }
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, 'text/plain', `error: ${(e as Error).message}`);
      else res.end();
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}/`,
    port: actual,
    server,
    close: () =>
      new Promise<void>((ok) => {
        clearInterval(timer);
        for (const res of listeners) res.end();
        listeners.clear();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
