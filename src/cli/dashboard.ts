import { startDashboard } from '../dashboard/server.js';
import { intFlag, parseCommand } from './args.js';

const HELP = `Usage: nabla dashboard [--logdir DIR] [--port N] [--host ADDR]

Serves a live web dashboard over the runs in DIR (every folder holding a summaries.jsonl written
by nb.summary or the Keras TensorBoard callback): scalar charts with runs overlaid and smoothing,
image and histogram panels with a step slider, text, and each run's metadata. Updates as training
writes. Only files under DIR are served.

Options:
  --logdir DIR   folder of runs (default runs)
  --port N       port (default 6006; 0 picks a free one)
  --host ADDR    bind address (default 127.0.0.1, this machine only; 0.0.0.0 exposes it to the network)
  -h, --help     print this help
`;

/** `nabla dashboard`: runs until interrupted (Ctrl-C). */
export async function dashboardCommand(args: string[]): Promise<void> {
  const command = 'nabla dashboard';
  const { values } = parseCommand(command, args, { logdir: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const dash = await startDashboard({ logdir: values.logdir ?? 'runs', port: intFlag(command, 'port', values.port, 0, 65535) ?? 6006, host: values.host ?? '127.0.0.1' });
  console.log(`nabla dashboard: serving ${values.logdir ?? 'runs'} at ${dash.url} (Ctrl-C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void dash.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
