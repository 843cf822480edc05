import type { FromEngine, ToEngine } from '../shared/engine-protocol';

/** One running engine process as the lab sees it, whatever started it (utilityProcess or Node fork). */
export interface EngineChannel {
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  /** Called once when the process ends, for any reason. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnEngine = () => EngineChannel;
