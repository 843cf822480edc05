/** The engine processes as the lab sees them: hosts that run typed jobs, how processes start and how they end. */
export { EngineHost, type RunOptions } from './engine-host';
export type { EngineChannel, EngineExit, SpawnEngine } from './engine-channel';
export { engineEnv } from './engine-env';
export { EngineStatusService } from './engine-status';
export { nodeEngineSpawner, spawnNodeEngine, type NodeEngineOptions } from './node-engine';
