import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { EngineChannel, EngineExit, SpawnEngine } from './engine-channel';
import { engineEnv } from './engine-env';

const STDERR_TAIL = 4096;

/** Where the engine entry is: next to this bundle when built, else the TypeScript source run through tsx. */
function engineEntry(): { file: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./engine.js', import.meta.url));
  if (import.meta.url.endsWith('.js') && existsSync(built)) return { file: built, execArgv: [] };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { file: fileURLToPath(new URL('../../engine/main.ts', import.meta.url)), execArgv: ['--import', tsx] };
}

export interface NodeEngineOptions {
  /** Run the engine as this user and group (a lab started as root can drop privileges for the process that reads files). */
  uid?: number;
  gid?: number;
}

/** Starts the engine as a Node child process (web mode, CLI, tests). */
export const spawnNodeEngine: SpawnEngine = () => startNodeEngine({});

/** A SpawnEngine for Node child processes with options. */
export function nodeEngineSpawner(options: NodeEngineOptions): SpawnEngine {
  return () => startNodeEngine(options);
}

function startNodeEngine(options: NodeEngineOptions): EngineChannel {
  const { file, execArgv } = engineEntry();
  const child = fork(file, [], {
    execArgv,
    env: engineEnv(),
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    serialization: 'advanced',
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  // stderr passes through; its tail is kept because a dying V8 or allocator says why only there.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL);
  });
  const exitListeners: ((exit: EngineExit) => void)[] = [];
  let exited = false;
  const exit = (code: number | null, signal: NodeJS.Signals | null, spawnError?: string) => {
    if (exited) return;
    exited = true;
    for (const l of exitListeners) l({ code, signal, stderrTail, ...(spawnError ? { spawnError } : {}) });
  };
  // 'close' comes after stderr has been read to the end; 'error' covers a process that never started.
  child.once('close', exit);
  // A spawn failure emits 'error' without 'exit'; a send to an engine that just died (EPIPE)
  // emits 'error' too. Unhandled, either would crash the lab; the exit is what reports the death.
  child.on('error', (err) => {
    if (child.pid === undefined) exit(null, null, err.message);
  });
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m)),
    onExit: (l) => exitListeners.push(l),
    kill: () => child.kill('SIGKILL'),
  };
}
