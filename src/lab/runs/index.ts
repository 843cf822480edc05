/** Training and fine-tuning runs: their configs, data, queueing, progress and the speed table across runs. */
export { RunService } from './runs';
export { startFinetune } from './finetune-config';
export { evalBatchSizeFor } from './run-config';
export { runDataSpecs, testTransform, trainTransform } from './run-data';
export { speedTable } from './speed';
export { foreignFoldersNotice, foreignRunFolders } from './run-folders';
export { toRun } from './run-view';
