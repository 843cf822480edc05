import type { ToEngine } from '../../shared/engine-protocol';

/** One running engine process as the lab sees it, whatever started it (utilityProcess or Node fork). */
export interface EngineChannel {
  send(message: ToEngine): void;
  /** Messages as they arrive: unchecked (EngineHost checks them against the protocol). */
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process ends, for any reason. */
  onExit(listener: (exit: EngineExit) => void): void;
  kill(): void;
}

/** How an engine process ended, with what the platform can tell. */
export interface EngineExit {
  code: number | null;
  signal?: string | null;
  /** The end of what the process wrote to stderr (V8 and the allocator say "out of memory" there). */
  stderrTail?: string;
  /** Why the process could not be started at all. */
  spawnError?: string;
}

export type SpawnEngine = () => EngineChannel;
