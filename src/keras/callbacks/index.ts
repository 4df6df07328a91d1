// `nb.keras.callbacks`
export { Callback, CallbackList, type Logs, type TrainingParams } from './base.js';
export { History } from './history.js';
export { ProgbarLogger, formatBar, formatLogs, type ProgbarOptions } from './progbar.js';
export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { ModelCheckpoint, formatCheckpointPath, type ModelCheckpointArgs } from './model-checkpoint.js';
export { LearningRateScheduler, ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './learning-rate.js';
export { CSVLogger, TerminateOnNaN, LambdaCallback, type CSVLoggerArgs } from './misc.js';
export { TensorBoard, type TensorBoardArgs } from './tensorboard.js';
