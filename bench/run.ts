// Runs one benchmark by name: `npm run bench -- dispatch`. Each benchmark prints a table and ends
// its stdout with one line holding a JSON object of its figures.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('util'))
  .map((f) => f.replace(/\.ts$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ')})`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(`${here}/${name}.ts`).href);
