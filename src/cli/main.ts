#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as nb from '../index.js';
import { trainIris } from '../apps/iris/train.js';
import { numberFlag, parseCommand, printJson, UsageError } from './args.js';
import { withExitStatus } from './exit-status.js';
import { dashboardHelp, DASHBOARD_OPTIONS, withRunDashboard } from './dashboard-flag.js';
import { appWriter } from '../apps/common/run-logger.js';
import { timestampedRunDir } from '../apps/common/run-dir.js';
import { predictCommand } from './predict.js';
import { trainMnistCommand } from './train-mnist.js';
import { trainCatsVsDogsCommand } from './train-cats-vs-dogs.js';
import { trainDcganCommand, trainGanCommand } from './train-gan.js';
import { trainCycleGanCommand } from './train-cyclegan.js';
import { generateCommand } from './generate.js';
import { rlCommand } from './rl.js';
import { styleTransferCommand } from './style-transfer.js';
import { dashboardCommand } from './dashboard.js';
import { deepdreamCommand } from './deepdream.js';
import { trainDbnCommand } from './train-dbn.js';
import { trainAutoencoderCommand } from './train-autoencoder.js';
import { generateCharRnnCommand, trainCharRnnCommand } from './train-char-rnn.js';
import { trainTextClassifyCommand } from './train-text-classify.js';
import { estimatorCommand } from './estimator.js';

const HELP = `nabla ${nb.version} — TensorFlow and Keras for TypeScript

Usage:
  nabla train mnist [--dataset mnist|fashion-mnist|digits] [--epochs N] [--batch-size N]
                    [--limit N] [--seed N] [--out DIR] [--json]
                              train the Keras mnist_convnet, evaluate it, save it and write
                              an HTML report (MNIST if found, else Fashion-MNIST, else the
                              8x8 digits that ship with nabla)
  nabla predict MODEL IMAGE... [--top K] [--invert auto|yes|no] [--json]
                              classify image files with a model saved by 'nabla train mnist'
                              or 'nabla train cats-vs-dogs'
  nabla train cats-vs-dogs --data DIR [--epochs N] [--image-size N] [--batch-size N]
                    [--seed N] [--out DIR] [--json]
                              train a small augmented binary convnet on DIR/<class>/*.jpg
                              (two class folders, e.g. cat and dog) with an HTML report
  nabla train gan|dcgan [--dataset fashion-mnist|digits|DIR] [--epochs N] [--out DIR] [--json]
                              train the basic Keras-pattern GAN or DCGAN: sample grids per
                              epoch, loss curves, a FID-style score and an HTML report
  nabla train cyclegan [--data-a DIR --data-b DIR] [--epochs N] [--out DIR] [--json]
                              unpaired image-to-image translation (default: Fashion-MNIST
                              sneaker <-> ankle boot), with cycle error and target-class share
  nabla generate MODEL [-n N] [-o FILE]
                              draw a grid of images from a generator saved by 'nabla train gan'
  nabla style-transfer CONTENT STYLE -o OUT.png [--size N] [--steps N] [--optimizer adam|lbfgs]
                    [--weights FILE | --random-features] [--save-every K] [--json]
                              paint CONTENT in the style of STYLE with VGG19 features
                              (needs the Keras VGG19 weight file; see --help)
  nabla train text-classify [--data DIR] [--classes a,b,c] [--epochs N] [--out DIR] [--json]
                              classify fortune-cookie texts by category: TextVectorization,
                              Embedding and a Bidirectional GRU, with an HTML report
  nabla train char-rnn [--text FILE] [--epochs N] [--seq-length N] [--units N] [--out DIR] [--json]
                              character-level LSTM language model (default: the fortune files):
                              held-out bits/char and perplexity, samples, HTML report
  nabla generate char-rnn MODEL --prompt TEXT [--length 300] [--temperature 0.8] [--seed N]
                              continue TEXT with a model saved by 'nabla train char-rnn'
  nabla train dbn [--layers 256,128] [--pretrain-epochs N] [--finetune-epochs N] [--cd-k N]
                    [--persistent] [--limit N] [--seed N] [--out DIR] [--json]
                              deep belief network: RBMs pre-trained with CD-k/PCD, fine-tuned
                              as a classifier and compared with random init
  nabla train autoencoder [--model conv|vae] [--latent-dim N] [--epochs N] [--limit N]
                    [--seed N] [--out DIR] [--json]
                              convolutional or variational autoencoder on Fashion-MNIST:
                              reconstructions, latent map, prior samples, HTML report
  nabla deepdream IMAGE -o OUT.png [--layers a:1,b:0.5] [--octaves 3] [--steps 20] [--size 256]
                    [--weights FILE | --random-features] [--json]
                              amplify what chosen VGG19 layers see in IMAGE (multi-octave)
  nabla train iris [--epochs N] [--lr X] [--seed S] [--json]
                              train a 2-layer MLP on the iris table that ships with nabla
  nabla rl train ALGORITHM ENV [--steps N] [--episodes N] [--seed S] [--out DIR] [--json]
                              reinforcement learning: value/policy iteration, Monte Carlo,
                              SARSA, Q-learning on GridWorld/FrozenLake; DQN on CartPole-v1,
                              MountainCar-v0, Breakout-MinAtar (see 'nabla rl train --help')
  nabla rl play AGENT-FILE [ENV] [--episodes N] [--gif FILE]
                              run a saved agent, optionally recording a GIF
  nabla estimator train|evaluate|predict --csv FILE [--label COLUMN] [--model M] [--json]
                              premade estimators (DNN/linear/baseline) on a CSV table,
                              feature columns inferred (see 'nabla estimator --help')
  nabla dashboard [--logdir runs] [--port 6006] [--host 127.0.0.1]
                              live web dashboard over training runs logged by nb.summary
                              or the Keras TensorBoard callback
  nabla info [--json]         version and active backend
  nabla --version             print the version
  nabla --help                print this help

Options:
  --json    end the output with one line holding a JSON object of the figures
  --dashboard  on 'train', 'rl train', 'estimator train' and 'style-transfer': serve a live
            dashboard over the run's logs while it trains (stays up until Ctrl-C)
  --help    after a command: that command's options (e.g. 'nabla train mnist --help')

Exit status: 0 on success, 1 when the work fails (missing data, bad files), 2 for a mistake in
the command line (unknown command or flag, bad value).
`;

const TRAIN_HELP = `Usage:
  nabla train mnist [options]   the Keras mnist_convnet (see 'nabla train mnist --help')
  nabla train iris [options]    a 4-16-3 MLP on iris (see 'nabla train iris --help')
  nabla train cats-vs-dogs --data DIR  binary convnet on two photo folders (see its --help)
  nabla train gan [options]     the basic GAN, Keras pattern (see 'nabla train gan --help')
  nabla train dcgan [options]   DCGAN, GradientTape loop (see 'nabla train dcgan --help')
  nabla train cyclegan [options]  CycleGAN, two folders A/ and B/ (see 'nabla train cyclegan --help')
  nabla train text-classify [options]  Bidirectional GRU on fortune categories (see its --help)
  nabla train dbn [options]     RBM stack pre-training + fine-tuning (see 'nabla train dbn --help')
  nabla train autoencoder [options]  conv autoencoder or VAE (see 'nabla train autoencoder --help')
  nabla train char-rnn [options]  character-level LSTM language model (see 'nabla train char-rnn --help')
`;

const TRAIN_IRIS_HELP = `Usage: nabla train iris [options]

Trains a 4-16-3 MLP with a GradientTape and full-batch gradient descent on the iris table that
ships with nabla (data/iris.csv), printing the loss and accuracy as it goes.

Options:
  --epochs N    epochs (default 300)
  --lr X        learning rate (default 0.1)
  --seed S      seed of the initial weights (default 42)
  --out DIR     write the loss and accuracy curves to DIR/logs (for 'nabla dashboard')
  --json        end the output with one line holding a JSON object of the figures
${dashboardHelp(16)}  -h, --help    print this help
`;

/** A command: returns nothing, or its exit status; throws UsageError (exit 2) or a nabla error (exit 1). */
type Command = (args: string[]) => void | number | Promise<void | number>;

const commands: Record<string, Command> = {
  info(args) {
    const { values } = parseCommand('nabla info', args, { json: { type: 'boolean' } });
    if (values.help) {
      process.stdout.write('Usage: nabla info [--json]\n\nPrints the version, the active backend and the available backends.\n');
      return;
    }
    const info = { version: nb.version, backend: nb.getBackend(), backends: nb.listBackends(), node: process.version };
    if (values.json) printJson(info);
    else console.log(`nabla ${info.version}, backend ${info.backend} (available: ${info.backends.join(', ')}), node ${info.node}`);
  },
  async train(args) {
    const [what, ...rest] = args;
    if (what === undefined || what === '--help' || what === '-h') {
      process.stdout.write(TRAIN_HELP);
      return;
    }
    if (what === 'mnist') return trainMnistCommand(rest);
    if (what === 'cats-vs-dogs') return trainCatsVsDogsCommand(rest);
    if (what === 'gan') return trainGanCommand(rest);
    if (what === 'dcgan') return trainDcganCommand(rest);
    if (what === 'cyclegan') return trainCycleGanCommand(rest);
    if (what === 'dbn') return trainDbnCommand(rest);
    if (what === 'autoencoder') return trainAutoencoderCommand(rest);
    if (what === 'char-rnn') return trainCharRnnCommand(rest);
    if (what === 'text-classify') return trainTextClassifyCommand(rest);
    if (what !== 'iris') {
      throw new UsageError(`nabla train: unknown model '${what}'; available: mnist, iris, gan, dcgan, cyclegan, cats-vs-dogs, text-classify, char-rnn, dbn, autoencoder. See 'nabla train --help'.`);
    }
    const command = 'nabla train iris';
    const { values } = parseCommand(command, rest, {
      epochs: { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      ...DASHBOARD_OPTIONS,
    });
    if (values.help) {
      process.stdout.write(TRAIN_IRIS_HELP);
      return;
    }
    const options = {
      epochs: numberFlag(command, 'epochs', values.epochs),
      learningRate: numberFlag(command, 'lr', values.lr),
      seed: numberFlag(command, 'seed', values.seed),
    };
    const outDir = values.out ?? (values.dashboard ? timestampedRunDir('iris') : undefined);
    console.log(`Training a 4-16-3 MLP on iris (shipped copy) with backend '${nb.getBackend()}'`);
    const summary = outDir ? appWriter(outDir, { dataset: 'iris', hyperParameters: options }) : null;
    const train = async () => {
      try {
        return trainIris({ ...options, summary, onLog: (line) => console.log(line) });
      } finally {
        summary?.close();
      }
    };
    await withRunDashboard(command, values, outDir ?? '', train, (result) => {
      console.log(`train accuracy ${(result.trainAccuracy * 100).toFixed(1)}% in ${result.trainSeconds.toFixed(2)}s${outDir ? `; logs in ${outDir}` : ''}`);
      if (values.json) printJson(result);
    });
  },
  predict: predictCommand,
  'style-transfer': styleTransferCommand,
  deepdream: deepdreamCommand,
  generate: (args) => (args[0] === 'char-rnn' ? generateCharRnnCommand(args.slice(1)) : generateCommand(args)),
  rl: rlCommand,
  dashboard: dashboardCommand,
  estimator: estimatorCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    console.log(nb.version);
    return 0;
  }
  const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (!command) {
    console.error(`nabla: unknown command '${first}'. Run 'nabla --help' for the list.`);
    return 2;
  }
  return withExitStatus(() => command(rest));
}

// Run when executed (node dist/cli/main.js, the npm bin link, tsx), not when imported (tests).
const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
