import { loadNativeBackend } from './native/index.js';

export { getBackend, setBackend, listBackends } from './registry.js';
export { loadNativeBackend, nativeInfo, setNativeThreads, type NativeInfo } from './native/index.js';

// Importing nabla activates the native backend when the addon built (NABLA_BACKEND=js opts out).
loadNativeBackend();
