import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in the command line (unknown flag, bad value): the CLI prints it and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Flags of a command: `{name: {type: 'string' | 'boolean', short?}}`. */
type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parsed flag values: strings for string flags, booleans for boolean ones, `help` always. */
export type FlagValues<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean };

/**
 * node:util parseArgs, strict, with its errors turned into UsageErrors that name the command and
 * point at its help.
 */
export function parseCommand<O extends Options>(command: string, args: string[], options: O, allowPositionals = false): { values: FlagValues<O>; positionals: string[] } {
  const config: ParseArgsConfig = { args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true };
  try {
    const { values, positionals } = parseArgs(config);
    return { values: values as FlagValues<O>, positionals };
  } catch (e) {
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${command}: ${e.message.replace(/\.?$/, '.')} Run '${command} --help' for the options.`);
    }
    throw e;
  }
}

/** An integer flag value within [min, max], or undefined when the flag is absent. */
export function intFlag(command: string, name: string, value: string | undefined, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`${command}: --${name} must be ${range}, got '${value}'.`);
  }
  return n;
}

/** A finite number flag value, or undefined when the flag is absent. */
export function numberFlag(command: string, name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${command}: --${name} must be a number, got '${value}'.`);
  return n;
}

/** One of `choices`, or undefined when the flag is absent. */
export function choiceFlag<C extends string>(command: string, name: string, value: string | undefined, choices: readonly C[]): C | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${command}: --${name} must be one of ${choices.join(', ')}; got '${value}'.`);
  }
  return value as C;
}

/** Prints a JSON object as the last line of output. */
export function printJson(figures: object): void {
  console.log(JSON.stringify(figures));
}
