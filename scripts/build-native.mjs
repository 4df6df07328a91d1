#!/usr/bin/env node
// Install-time build of the native CPU backend (build/Release/nabla_native.node) with node-gyp.
// It never fails the install: when the addon cannot be built or loaded, it prints one line and
// exits 0, and nabla runs on its TypeScript backend.
//   NABLA_SKIP_NATIVE_BUILD=1  skip the build       NABLA_NATIVE_VERBOSE=1  show compiler output
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = join(root, 'build', 'Release', 'nabla_native.node');
const logPath = join(root, 'build', 'native-build.log');

function useTypeScriptBackend(why) {
  console.log(`nabla: native addon not built (${why}); nabla will use the TypeScript backend.`);
  process.exit(0);
}

// node-gyp: the package's own dependency, else the copy npm runs install scripts with.
function findNodeGyp() {
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // not installed as a dependency
  }
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) {
    candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

// Headers installed with this node (e.g. /usr/include/node) let node-gyp build without
// downloading them. An npm `nodedir` setting, which node-gyp reads itself, takes precedence.
function localNodeDir() {
  if (process.env.npm_config_nodedir) return null;
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function saveLog(text) {
  try {
    mkdirSync(dirname(logPath), { recursive: true });
    writeFileSync(logPath, text);
    return ` (log: ${logPath})`;
  } catch {
    return '';
  }
}

if (process.env.NABLA_SKIP_NATIVE_BUILD) useTypeScriptBackend('NABLA_SKIP_NATIVE_BUILD is set');
const nodeGyp = findNodeGyp();
if (!nodeGyp) useTypeScriptBackend('node-gyp not found');

const args = [nodeGyp, 'rebuild'];
const nodeDir = localNodeDir();
if (nodeDir) args.push(`--nodedir=${nodeDir}`);
const verbose = Boolean(process.env.NABLA_NATIVE_VERBOSE);
const build = spawnSync(process.execPath, args, {
  cwd: root,
  encoding: 'utf8',
  stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  timeout: 15 * 60 * 1000,
});
if (build.status !== 0) {
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? String(build.error) : ''}`;
  useTypeScriptBackend(`node-gyp failed${verbose ? '' : saveLog(output)}`);
}

// Load it in a child process, so a broken binary cannot take the install down with it.
const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addonPath)}).info()`], { encoding: 'utf8' });
if (check.status !== 0) useTypeScriptBackend(`the built addon does not load: ${(check.stderr ?? '').split('\n')[0]}`);
console.log(`nabla: native CPU backend built (${addonPath}).`);
