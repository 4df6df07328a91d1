#!/usr/bin/env node
import { parseArgs } from 'node:util';
import * as nb from '../index.js';
import { trainIris } from '../apps/iris/train.js';

const HELP = `nabla ${nb.version} — TensorFlow and Keras for TypeScript

Usage:
  nabla train iris [--epochs N] [--lr X] [--seed S] [--json]
                              train a 2-layer MLP on the iris table that ships with nabla
  nabla info [--json]         version and active backend
  nabla --version             print the version
  nabla --help                print this help

Options:
  --json    end the output with one line holding a JSON object of the figures
`;

type Command = (args: string[]) => void;

function printJson(figures: object): void {
  console.log(JSON.stringify(figures));
}

const commands: Record<string, Command> = {
  info(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
    const info = { version: nb.version, backend: nb.getBackend(), backends: nb.listBackends(), node: process.version };
    if (values.json) printJson(info);
    else console.log(`nabla ${info.version}, backend ${info.backend} (available: ${info.backends.join(', ')}), node ${info.node}`);
  },
  train(args) {
    const [what, ...rest] = args;
    if (what !== 'iris') {
      throw new nb.InvalidArgumentError(`nabla train: unknown model '${what ?? ''}'; available: iris. See 'nabla --help'.`);
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        epochs: { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const num = (name: string, v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new nb.InvalidArgumentError(`nabla train iris: --${name} must be a number, got '${v}'.`);
      return n;
    };
    console.log(`Training a 4-16-3 MLP on iris (shipped copy) with backend '${nb.getBackend()}'`);
    const result = trainIris({
      epochs: num('epochs', values.epochs),
      learningRate: num('lr', values.lr),
      seed: num('seed', values.seed),
      onLog: (line) => console.log(line),
    });
    console.log(`train accuracy ${(result.trainAccuracy * 100).toFixed(1)}% in ${result.trainSeconds.toFixed(2)}s`);
    if (values.json) printJson(result);
  },
};

export function main(argv: string[]): number {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    console.log(nb.version);
    return 0;
  }
  const command = commands[first];
  if (!command) {
    console.error(`nabla: unknown command '${first}'. Run 'nabla --help' for the list.`);
    return 2;
  }
  try {
    command(rest);
    return 0;
  } catch (e) {
    if (e instanceof nb.NablaError || (e instanceof TypeError && 'code' in e)) {
      console.error(`nabla: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
