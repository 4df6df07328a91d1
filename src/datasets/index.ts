// `nb.datasets`: loaders for the classic datasets, from files on disk.
export { readIdx } from './idx.js';
export { mnist, fashionMnist, searchPaths, type MnistLikeData, type LoadOptions } from './mnist.js';
