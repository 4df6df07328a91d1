import { main } from '../../src/cli/main.js';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI's main() in this process (no start-up cost) and returns its exit status and the
 * text it wrote to stdout and stderr. Binary chunks pass through uncaptured: they are the test
 * runner's own reports of earlier tests, which it may write while this call runs.
 *
 * @example
 * ```ts
 * const r = await runCliInProcess(['train', 'mnist', '--help']);
 * assert.equal(r.status, 0);
 * ```
 */
export async function runCliInProcess(args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write };
  const capture = (into: string[], original: typeof process.stdout.write, stream: NodeJS.WriteStream) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) =>
      typeof chunk === 'string' ? into.push(chunk) > 0 : (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest)) as typeof process.stdout.write;
  process.stdout.write = capture(out, saved.out, process.stdout);
  process.stderr.write = capture(err, saved.err, process.stderr);
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

/** The JSON object on the last line of a command's output (`--json`). */
export function lastJsonLine(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}
