import type { EngineStatus } from '../../shared/api/engine';
import type { EngineHost } from './engine-host';

/**
 * What the compute engine runs on, for the status bar: asked of the engine once (its `doctor` job
 * picks the backend if no job has yet) and cached; `refresh` asks again. A failed ask is not cached.
 */
export class EngineStatusService {
  #engine: EngineHost;
  #status: Promise<EngineStatus> | null = null;
  #known: EngineStatus | null = null;

  constructor(engine: EngineHost) {
    this.#engine = engine;
  }

  /** The last status the engine reported, if it has been asked. */
  known(): EngineStatus | null {
    return this.#known;
  }

  get({ refresh = false }: { refresh?: boolean } = {}): Promise<EngineStatus> {
    if (refresh || !this.#status) {
      const asked = this.#engine.run('doctor', {}).then((report) => {
        this.#known = { ...report, checkedAt: new Date().toISOString() };
        return this.#known;
      });
      this.#status = asked;
      asked.catch(() => {
        if (this.#status === asked) this.#status = null;
      });
    }
    return this.#status;
  }
}
