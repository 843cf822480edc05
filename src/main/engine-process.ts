import { join } from 'node:path';
import { utilityProcess } from 'electron';
import { engineEnv, type EngineChannel, type SpawnEngine } from '../lab';

/** Starts the engine in an Electron utilityProcess, so a native crash or a long kernel never touches the UI. */
export const spawnUtilityEngine: SpawnEngine = (): EngineChannel => {
  const child = utilityProcess.fork(join(import.meta.dirname, 'engine.js'), [], {
    serviceName: 'FixRes Lab engine',
    env: engineEnv(),
    stdio: 'inherit',
  });
  let alive = true;
  return {
    send: (m) => {
      if (alive) child.postMessage(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m)),
    onExit: (l) =>
      child.once('exit', (code) => {
        alive = false;
        l({ code });
      }),
    kill: () => {
      child.kill();
    },
  };
};
