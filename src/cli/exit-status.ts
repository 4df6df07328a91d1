import * as nb from '../index.js';
import { UsageError } from './args.js';

/**
 * Runs a command and turns its outcome into the CLI's exit status: 0 on success, 2 for a mistake
 * in the command line (UsageError), 1 when the work fails with a nabla error; the message goes to
 * stderr. Anything else is a bug and is rethrown.
 *
 * @example
 * ```ts
 * process.exitCode = await withExitStatus(() => trainMnistCommand(['--epochs', '1']));
 * ```
 */
export async function withExitStatus(run: () => unknown): Promise<number> {
  try {
    const status = await run();
    return typeof status === 'number' ? status : 0;
  } catch (e) {
    const say = (message: string) => console.error(message.startsWith('nabla') ? message : `nabla: ${message}`);
    if (e instanceof UsageError) {
      say(e.message);
      return 2;
    }
    if (e instanceof nb.NablaError) {
      say(e.message);
      return 1;
    }
    throw e;
  }
}
