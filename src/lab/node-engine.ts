import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FromEngine } from '../shared/engine-protocol';
import type { EngineChannel, SpawnEngine } from './engine-channel';

/** Where the engine entry is: next to this bundle when built, else the TypeScript source run through tsx. */
function engineEntry(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./engine.js', import.meta.url));
  if (import.meta.url.endsWith('.js') && existsSync(built)) return { file: built, execArgv: [] };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { file: fileURLToPath(new URL('../engine/main.ts', import.meta.url)), execArgv: ['--import', tsx] };
}

/** Starts the engine as a Node child process (web mode, CLI, tests). */
export const spawnNodeEngine: SpawnEngine = () => {
  const { file, execArgv } = engineEntry();
  const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromEngine)),
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill: () => child.kill('SIGKILL'),
  };
};
