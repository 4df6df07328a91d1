export { getBackend, setBackend, listBackends } from './registry.js';
