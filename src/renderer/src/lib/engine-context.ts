import { getContext, setContext } from 'svelte';
import type { EngineState } from '../state/engine.svelte';

const ENGINE_KEY = Symbol('engine');

/** Makes the app's one EngineState reachable by every component below (call during App's init). */
export function setEngine(engine: EngineState): void {
  setContext(ENGINE_KEY, engine);
}

/** The app's EngineState: the backend in use and every rung of the ladder. */
export function getEngine(): EngineState {
  const engine = getContext<EngineState | undefined>(ENGINE_KEY);
  if (!engine) throw new Error('No EngineState in context: App sets it with setEngine().');
  return engine;
}
