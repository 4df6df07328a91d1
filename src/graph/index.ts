import './build.js';
import './catalogue.js';
export { Graph, getDefaultGraph, resetDefaultGraph, disableEagerExecution, enableEagerExecution, executingEagerly } from './graph.js';
export { GraphNode, type NodeKind } from './node.js';
export { SymbolicTensor } from './symbolic.js';
export { GraphMismatchError, MissingFeedError, UninitializedVariableError } from './errors.js';
export { placeholder } from './placeholder.js';
export { GraphVariable, group, globalVariablesInitializer, globalVariables, trainableVariables, type GraphVariableOptions } from './variable.js';
export { Session, type Fetch, type FetchResult, type FeedDict } from './session.js';
export { gradients } from './gradients.js';
export {
  GraphOptimizer,
  GradientDescentOptimizer,
  MomentumOptimizer,
  AdamOptimizer,
  RMSPropOptimizer,
  getOrCreateGlobalStep,
  type MinimizeOptions,
} from './optimizers.js';
export { Saver, latestCheckpoint, type SaverOptions } from './saver.js';
export { convertVariablesToConstants } from './freeze.js';
export { importGraphDef, toGraphDef, type GraphDef, type NodeDef } from './graph-def.js';
export { writeGraph, readGraph } from './graph-io.js';
export { tfFunction, ConcreteFunction, type TracedFunction, type FunctionOptions, type InputSpec } from './function.js';
export { optimize, type PassStats, type PassOptions } from './passes.js';
export { assign, assignAdd, assignSub } from './assign.js';
