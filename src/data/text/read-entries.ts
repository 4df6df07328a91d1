// Reading labelled texts from a folder: the class layout ('folders' or 'files') and the entries of
// each file (split on separator lines). Synchronous: text corpora for these loaders fit in memory.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { TextDatasetError } from './errors.js';

export type TextLayout = 'folders' | 'files';

const OP = 'textDatasetFromDirectory';

/** The texts of every class, in class order. */
export interface ClassTexts {
  layout: TextLayout;
  classNames: string[];
  /** texts[c]: the entries of class c in file order. */
  texts: string[][];
}

const isTxt = (name: string): boolean => extname(name).toLowerCase() === '.txt';

function listTxt(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listTxt(p));
    else if (e.isFile() && isTxt(e.name)) out.push(p);
  }
  return out;
}

/**
 * The entries of one file: with a separator, the pieces between lines that hold only it (after
 * trimming), each trimmed, empty ones dropped; without one, the whole file (trimmed) in
 * 'folders' layout or each non-empty line in 'files' layout.
 */
export function splitEntries(content: string, separator: string | null, layout: TextLayout): string[] {
  const text = content.replace(/\r\n?/g, '\n');
  if (separator === null && layout === 'folders') return text.trim() === '' ? [] : [text.trim()];
  const entries: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    const entry = current.join('\n').trim();
    if (entry !== '') entries.push(entry);
    current = [];
  };
  for (const line of text.split('\n')) {
    if (separator === null) {
      current.push(line);
      flush();
    } else if (line.trim() === separator) flush();
    else current.push(line);
  }
  flush();
  return entries;
}

/** Reads `dir` in the given (or detected) layout; throws TextDatasetError naming the path and the fix. */
export function readClassTexts(dir: string, layout: TextLayout | 'auto', separator: string | null, classNames: readonly string[] | undefined): ClassTexts {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TextDatasetError(`${OP}: folder '${dir}' not found; expected a folder with one subfolder of .txt files per class, or one .txt file per class; check the path.`, dir);
  }
  const entries = readdirSync(dir, { withFileTypes: true });
  const subdirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files = entries.filter((e) => e.isFile() && isTxt(e.name)).map((e) => e.name).sort();
  const resolved: TextLayout = layout !== 'auto' ? layout : subdirs.length > 0 ? 'folders' : 'files';
  const available = resolved === 'folders' ? subdirs : files.map((f) => basename(f, extname(f)));
  if (available.length === 0) {
    throw new TextDatasetError(
      `${OP}: '${dir}' holds no ${resolved === 'folders' ? 'class subfolders' : '.txt files'}; expected one subfolder of .txt files per class (layout 'folders') or one .txt file per class (layout 'files').`,
      dir,
    );
  }
  const names = classNames ? [...classNames] : available;
  const missing = names.filter((c) => !available.includes(c));
  if (missing.length > 0) {
    throw new TextDatasetError(`${OP}: class(es) ${missing.map((c) => `'${c}'`).join(', ')} not found in '${dir}' (layout '${resolved}'); available: ${available.join(', ')}.`, dir);
  }
  if (new Set(names).size !== names.length) {
    throw new TextDatasetError(`${OP}: classNames repeats a class (${names.join(', ')}); list each class once.`, dir);
  }
  const texts = names.map((name) => {
    const paths = resolved === 'folders' ? listTxt(join(dir, name)) : [join(dir, files[available.indexOf(name)]!)];
    if (paths.length === 0) {
      throw new TextDatasetError(`${OP}: class folder '${join(dir, name)}' holds no .txt files; add texts or leave the class out with classNames.`, join(dir, name));
    }
    return paths.flatMap((p) => {
      const got = splitEntries(readFileSync(p, 'utf8'), separator, resolved);
      if (got.length === 0) {
        throw new TextDatasetError(`${OP}: file '${p}' holds no text${separator === null ? '' : ` (entries separated by lines '${separator}')`}; remove it or fill it.`, p);
      }
      return got;
    });
  });
  return { layout: resolved, classNames: names, texts };
}
