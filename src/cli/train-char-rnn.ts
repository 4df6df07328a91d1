import * as nb from '../index.js';
import { CHAR_RNN_DEFAULTS, trainCharRnn } from '../apps/char-rnn/train.js';
import { loadCharRnn } from '../apps/char-rnn/load.js';
import { CharSampler } from '../apps/char-rnn/sampler.js';
import { timestampedRunDir } from '../apps/common/run-dir.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { intFlag, numberFlag, parseCommand, printJson, UsageError } from './args.js';

const TRAIN = 'nabla train char-rnn';
const GENERATE = 'nabla generate char-rnn';
const d = CHAR_RNN_DEFAULTS;

export const TRAIN_CHAR_RNN_HELP = `Usage: nabla train char-rnn [options]

Trains a character-level LSTM language model (Embedding ${d.embeddingDim} -> LSTM -> Dense over the
characters; Adam, sparse categorical cross-entropy on the next character) on a text, holds out
its last ${d.heldOutFraction * 100}%, and reports the held-out cross-entropy per character (nats and bits) and
perplexity, with samples at temperatures ${d.temperatures.map((t) => t.toFixed(1)).join(', ')}.

Options:
  --text FILE        train on this UTF-8 text file (or a folder of fortune files). Default: the
                     BSD fortune files (<category>.txt, entries separated by '%' lines) found in
                     $NABLA_DATA_DIR/fortunes/, $NABLA_DATA_DIR/text/fortunes/,
                     ~/.nabla/datasets/fortunes/ or /usr/share/games/fortunes/
  --epochs N         passes over the training text (default ${d.epochs})
  --seq-length N     characters per training window (default ${d.seqLength})
  --batch-size N     windows per training step (default ${d.batchSize})
  --units N          LSTM units (default ${d.units})
  --layers N         stacked LSTM layers (default ${d.lstmLayers})
  --limit-chars N    use only the first N characters of the text
  --seed N           seed of the initial weights, shuffling and samples (default ${d.seed})
  --out DIR          output folder (default runs/char-rnn-<timestamp>)
  --json             end the output with one line holding a JSON object of the figures
${dashboardHelp(21)}  -h, --help         print this help

Writes OUT/model.nabla, OUT/vocab.json, OUT/result.json and OUT/report.html (loss curve,
samples). Generate more text with 'nabla generate char-rnn OUT --prompt "..."'.
`;

export const GENERATE_CHAR_RNN_HELP = `Usage: nabla generate char-rnn MODEL --prompt TEXT [options]

Continues TEXT with a model saved by 'nabla train char-rnn' (MODEL is its run folder or its
model.nabla, with vocab.json beside it), one character at a time, carrying the LSTM state.
Prompt characters the model never saw are fed as the unknown (OOV) character; a warning line
on stderr names them.

Options:
  --prompt TEXT        text to continue (required, at least one character)
  --length N           characters to generate (default 300)
  --temperature X      sampling temperature > 0 (default 0.8; lower is more conservative)
  --seed N             seed of the sampling (default 0): same seed, same text
  --json               end the output with one line holding a JSON object (text, prompt, ...)
  -h, --help           print this help
`;

/** Turns a thrown error into the CLI's exit status: 2 for usage mistakes, 1 for failed work. */
async function withExitCode(command: string, run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof nb.NablaError) {
      console.error(e.message.startsWith('nabla') ? e.message : `${command}: ${e.message.replace(/^char-rnn: /, '')}`);
      return e instanceof UsageError ? 2 : 1;
    }
    throw e;
  }
}

/**
 * `nabla train char-rnn`: trains the character-level LSTM and prints its held-out figures.
 * Returns the exit status (0 done, 1 failed work such as an empty or missing text, 2 usage mistake).
 *
 * @example
 * ```ts
 * const status = await trainCharRnnCommand(['--text', 'book.txt', '--epochs', '1', '--json']);
 * ```
 */
export async function trainCharRnnCommand(args: string[]): Promise<number> {
  return withExitCode(TRAIN, async () => {
    const { values } = parseCommand(TRAIN, args, {
      text: { type: 'string' },
      epochs: { type: 'string' },
      'seq-length': { type: 'string' },
      'batch-size': { type: 'string' },
      units: { type: 'string' },
      layers: { type: 'string' },
      'limit-chars': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      ...DASHBOARD_OPTIONS,
    });
    if (values.help) {
      process.stdout.write(TRAIN_CHAR_RNN_HELP);
      return;
    }
    const options = {
      textPath: values.text,
      epochs: intFlag(TRAIN, 'epochs', values.epochs, 1, 100000),
      seqLength: intFlag(TRAIN, 'seq-length', values['seq-length'], 1, 100000),
      batchSize: intFlag(TRAIN, 'batch-size', values['batch-size'], 1, 1 << 20),
      units: intFlag(TRAIN, 'units', values.units, 1, 1 << 14),
      lstmLayers: intFlag(TRAIN, 'layers', values.layers, 1, 16),
      limitChars: intFlag(TRAIN, 'limit-chars', values['limit-chars'], 1),
      seed: intFlag(TRAIN, 'seed', values.seed, 0, 2 ** 32 - 1),
      outDir: values.out ?? timestampedRunDir('char-rnn'),
    };
    await withRunDashboard(TRAIN, values, options.outDir, () => trainCharRnn(options), (result) => {
      if (!values.json) return;
      const { stepLoss, ...figures } = result;
      printJson({ ...figures, steps: stepLoss.length, finalStepLoss: stepLoss.at(-1) ?? null });
    });
  });
}

/**
 * `nabla generate char-rnn MODEL --prompt TEXT`: continues a prompt with a saved char-rnn model.
 * Returns the exit status (0 done, 1 missing model, 2 usage mistake such as a temperature <= 0).
 *
 * @example
 * ```ts
 * const status = await generateCharRnnCommand(['runs/char-rnn', '--prompt', 'The ', '--length', '200']);
 * ```
 */
export async function generateCharRnnCommand(args: string[]): Promise<number> {
  return withExitCode(GENERATE, async () => {
    const { values, positionals } = parseCommand(
      GENERATE,
      args,
      { prompt: { type: 'string' }, length: { type: 'string' }, temperature: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (values.help) {
      process.stdout.write(GENERATE_CHAR_RNN_HELP);
      return;
    }
    if (positionals.length !== 1) {
      throw new UsageError(`${GENERATE}: expected one MODEL (the run folder of 'nabla train char-rnn'), got ${positionals.length}. Run '${GENERATE} --help'.`);
    }
    if (values.prompt === undefined || values.prompt.length === 0) {
      throw new UsageError(`${GENERATE}: --prompt TEXT is required (at least one character to continue from).`);
    }
    const length = intFlag(GENERATE, 'length', values.length, 0, 1_000_000) ?? 300;
    const temperature = numberFlag(GENERATE, 'temperature', values.temperature) ?? 0.8;
    if (temperature <= 0) throw new UsageError(`${GENERATE}: --temperature must be > 0, got ${temperature}; use e.g. 0.5 (conservative) to 1.0 (raw model).`);
    const seed = intFlag(GENERATE, 'seed', values.seed, 0, 2 ** 31 - 1) ?? 0;
    const { model, vocab, modelPath } = loadCharRnn(positionals[0]!);
    const unknown = vocab.unknownChars(values.prompt);
    if (unknown.length > 0) {
      console.error(`${GENERATE}: warning: the prompt has characters the model never saw, fed as unknown (OOV): ${unknown.map((c) => JSON.stringify(c)).join(' ')}`);
    }
    const t0 = performance.now();
    const text = new CharSampler(model, vocab).generate({ prompt: values.prompt, length, temperature, seed });
    const seconds = (performance.now() - t0) / 1000;
    console.log(text);
    if (values.json) printJson({ model: modelPath, prompt: values.prompt, length, temperature, seed, unknownChars: unknown, seconds, text });
  });
}
