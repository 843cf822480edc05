/** The lab's one entry for adapters (main, server, cli): create a lab, dispatch requests onto it, hear its events. */
export { createLab, type Lab, type LabOptions } from './lab';
export { dispatch, type Handlers } from './dispatch';
export { createHandlers } from './handlers/index';
export type { LabEvents } from './events';
export { defaultDataDir } from './paths';
export { recoverLabDatabase, type LabRecovery } from './database-recovery';
export { engineEnv, nodeEngineSpawner, spawnNodeEngine, type EngineChannel, type EngineExit, type SpawnEngine } from './engine';
export { apparentSize, fitFrechetColumn, SYNTH_DEFAULTS, type ParsedApparentSizeRequest } from './datasets';
export type { RunComparison } from './sweeps';
export { commandLinePath } from './paths';
export { outcomesWithMistakes, type OutcomeWithMistakes } from './outcomes';
export { guardProcess, unhandledErrorLog } from './process-guard';
