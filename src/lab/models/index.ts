/** Imported PyTorch models: import with provenance, list/get/remove, predict, export, and put to work on a dataset. */
export { ModelService, type ModelServiceOptions } from './models';
export { datasetClassNames, resolveModelRef } from './model-refs';
