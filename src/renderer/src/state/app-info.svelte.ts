import type { LabClient } from '../../../shared/client';
import type { AppInfo } from '../../../shared/api/system';
import { errorText } from '../lib/errors';

/** What the lab says about itself: transport, version, data folder. */
export class AppInfoState {
  #client: LabClient;
  #info = $state<AppInfo | null>(null);
  #error = $state<string | null>(null);

  constructor(client: LabClient) {
    this.#client = client;
  }

  get info(): AppInfo | null {
    return this.#info;
  }
  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    try {
      this.#info = await this.#client.invoke('app.info', {});
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    }
  }
}
