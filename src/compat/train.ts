/** `nb.v1.train`: the TF1 optimizers (minimize returns a train op), Saver and the global step. */
export {
  GradientDescentOptimizer,
  MomentumOptimizer,
  AdamOptimizer,
  RMSPropOptimizer,
  GraphOptimizer as Optimizer,
  getOrCreateGlobalStep,
  Saver,
  latestCheckpoint,
  type SaverOptions,
  type MinimizeOptions,
} from '../graph/index.js';
