import { availableParallelism } from 'node:os';
import { FailedPreconditionError, InvalidArgumentError } from '../../core/errors.js';
import { registerBackend, setBackend } from '../registry.js';
import type { KernelTable } from '../kernels.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { createNativeKernels } from './kernels.js';

/** What the native backend is running with, or why it is not. */
export interface NativeInfo {
  loaded: boolean;
  /** Threads the kernels use, the calling thread included. */
  threads: number;
  /** SIMD code path in use: 'avx2-fma' or 'generic'. */
  simd: string;
  /** Why the backend is not loaded. */
  reason?: string;
}

type LoadState = { addon: NativeAddon; kernels: Partial<KernelTable> } | { reason: string };
let state: LoadState | undefined;

function requestedBackend(): 'js' | 'native' | undefined {
  const value = process.env['NABLA_BACKEND']?.trim();
  if (!value) return undefined;
  if (value === 'js' || value === 'native') return value;
  throw new InvalidArgumentError(`NABLA_BACKEND must be 'js' or 'native', got '${value}'. Unset it to pick automatically.`);
}

function threadsFromEnv(): number {
  const value = process.env['NABLA_NUM_THREADS']?.trim();
  if (!value) return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new InvalidArgumentError(`NABLA_NUM_THREADS must be an integer from 1 to 256, got '${value}'.`);
  }
  return n;
}

/**
 * Loads the C++ addon (built by `npm install`), registers it as the 'native' backend and makes
 * it active, unless NABLA_BACKEND=js. Returns whether it is active. Without the addon, nabla runs
 * on the TypeScript backend and says so once on stderr; with NABLA_BACKEND=native it throws.
 * Safe to call more than once.
 */
export function loadNativeBackend(): boolean {
  const requested = requestedBackend();
  if (requested === 'js') return false;
  const threads = threadsFromEnv();
  if (state === undefined) {
    const load = loadAddon();
    if ('reason' in load) {
      state = load;
      if (requested !== 'native') {
        process.stderr.write(`nabla: native backend unavailable (${load.reason}); using the TypeScript backend.\n`);
      }
    } else {
      load.addon.setNumThreads(threads);
      state = { addon: load.addon, kernels: createNativeKernels(load.addon) };
      registerBackend({ name: 'native', kernels: state.kernels });
    }
  }
  if ('reason' in state) {
    if (requested === 'native') {
      throw new FailedPreconditionError(
        `NABLA_BACKEND=native but the native backend is unavailable (${state.reason}). ` +
          `Rebuild it with 'npm rebuild nabla' (needs a C++17 compiler and python3) or unset NABLA_BACKEND.`,
      );
    }
    return false;
  }
  setBackend('native');
  return true;
}

/** Threads and SIMD level of the native backend (after loadNativeBackend), or why it is absent. */
export function nativeInfo(): NativeInfo {
  if (state === undefined || 'reason' in state) {
    return { loaded: false, threads: 1, simd: 'none', reason: state?.reason ?? 'not loaded' };
  }
  const { threads, simd } = state.addon.info();
  return { loaded: true, threads, simd };
}

/** Sets the native thread pool size (the calling thread included). */
export function setNativeThreads(threads: number): void {
  if (state === undefined || 'reason' in state) {
    throw new FailedPreconditionError('setNativeThreads: the native backend is not loaded; call loadNativeBackend() first.');
  }
  const addon = state.addon;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new InvalidArgumentError(`setNativeThreads: threads must be an integer from 1 to 256, got ${threads}.`);
  }
  addon.setNumThreads(threads);
}
