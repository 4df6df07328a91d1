// `nb.data`: tf.data-style input pipelines (Dataset) and CSV loading.
export { Dataset, INFINITE, UNKNOWN, AUTOTUNE, type BatchOptions, type ShuffleOptions } from './dataset.js';
export { DatasetError } from './errors.js';
export type { Element, ElementSpec, TensorSpec } from './structure.js';
export { csv, csvToTensors, type CsvOptions, type CsvLabeledOptions, type CsvDType, type CsvTensors } from './csv.js';
export * as image from './image/index.js';
export {
  imageDatasetFromDirectory,
  IMAGE_EXTENSIONS,
  type ImageDatasetOptions,
  type ImageDatasetInfo,
  type ImageLabelMode,
  type ImageColorMode,
  type LabeledImageDataset,
  type UnlabeledImageDataset,
} from './image-dataset.js';
export { textDatasetFromDirectory, TextDatasetError, type TextDataset, type TextDatasetInfo, type TextDatasetOptions, type TextLayout } from './text/index.js';
