/** `nb.v1.graphUtil`: graph freezing. */
export { convertVariablesToConstants } from '../graph/index.js';
