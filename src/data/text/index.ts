// Text loaders: labelled texts from folders (Keras's text_dataset_from_directory).
export { textDatasetFromDirectory, type TextDataset, type TextDatasetInfo, type TextDatasetOptions } from './text-dataset.js';
export { TextDatasetError } from './errors.js';
export type { TextLayout } from './read-entries.js';
