import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../index.js';

/** A text to train on and where it came from. */
export interface Corpus {
  text: string;
  /** The file or folder read. */
  source: string;
  /** 'fortunes' (a folder of %-separated entries) or 'file'. */
  kind: 'fortunes' | 'file';
}

/** Folders searched for the fortune files, in order. */
export function fortuneSearchPaths(): string[] {
  const dirs: string[] = [];
  const env = process.env['NABLA_DATA_DIR'];
  if (env) dirs.push(join(env, 'fortunes'), join(env, 'text', 'fortunes'));
  dirs.push(join(homedir(), '.nabla', 'datasets', 'fortunes'), '/usr/share/games/fortunes');
  return dirs;
}

/**
 * The entries of a fortune file: entries are separated by lines holding only `%`; those lines are
 * dropped and every entry ends with one newline.
 */
export function parseFortunes(content: string): string[] {
  return content
    .replace(/\r\n/g, '\n')
    .split(/^%[ \t]*$/m)
    .map((e) => e.replace(/^\n+/, '').replace(/\s+$/, ''))
    .filter((e) => e.length > 0)
    .map((e) => `${e}\n`);
}

/** The fortune files of a folder: `*.txt`, or Debian's extension-less files (not `.dat`/`.u8`), sorted. */
function fortuneFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt') || !f.includes('.'))
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile())
    .sort();
}

/** Every entry of every fortune file in `dir`, concatenated (files in name order). */
export function readFortunes(dir: string): string {
  const files = fortuneFiles(dir);
  if (files.length === 0) {
    throw new nb.NotFoundError(`char-rnn: '${dir}' holds no fortune files (*.txt with entries separated by lines holding only '%').`);
  }
  return files.map((f) => parseFortunes(readFileSync(f, 'utf8')).join('')).join('');
}

/**
 * The training text: `path` when given (a text file, or a folder of fortune files), else the
 * first folder of fortune files found by {@link fortuneSearchPaths}.
 */
export function loadCorpus(path?: string): Corpus {
  if (path !== undefined) {
    if (!existsSync(path)) throw new nb.NotFoundError(`char-rnn: no text file at '${path}'; pass --text with an existing UTF-8 text file.`);
    if (statSync(path).isDirectory()) return { text: readFortunes(path), source: path, kind: 'fortunes' };
    return { text: readFileSync(path, 'utf8'), source: path, kind: 'file' };
  }
  const dirs = fortuneSearchPaths();
  const found = dirs.find((d) => existsSync(d) && statSync(d).isDirectory() && fortuneFiles(d).length > 0);
  if (!found) {
    throw new nb.NotFoundError(
      `char-rnn: the default corpus (fortune files) was not found; looked in ${dirs.join(', ')}. ` +
        `Put the BSD fortune files (<category>.txt, entries separated by lines holding only '%') in ${join(homedir(), '.nabla', 'datasets', 'fortunes')}/ ` +
        `(or $NABLA_DATA_DIR/fortunes/, or install Debian's 'fortunes' package), or train on any text file with --text FILE.`,
    );
  }
  return { text: readFortunes(found), source: found, kind: 'fortunes' };
}

/** The first `1 - heldOutFraction` of the text for training, the rest (the end) held out. */
export function splitText(text: string, heldOutFraction = 0.1): { train: string; heldOut: string } {
  const chars = [...text];
  const cut = Math.round(chars.length * (1 - heldOutFraction));
  return { train: chars.slice(0, cut).join(''), heldOut: chars.slice(cut).join('') };
}
