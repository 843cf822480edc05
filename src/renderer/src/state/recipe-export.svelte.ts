import type { ExportRecipeResult, RunConfigInput } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';

/**
 * "Run elsewhere…" on the run form: the form's settings written as a PyTorch torchrun recipe
 * (train.py + recipe.json) into a folder, for a machine with GPUs or a cluster. Nothing is
 * stored or started in the lab; the result comes back with a model import.
 */
export class RecipeExportState {
  #client: LabClient;
  /** The form's request, or null while the form is invalid. */
  #request: () => RunConfigInput | null;
  #open = $state(false);
  #dir = $state('');
  #overwrite = $state(false);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #result = $state.raw<ExportRecipeResult | null>(null);

  constructor(client: LabClient, request: () => RunConfigInput | null) {
    this.#client = client;
    this.#request = request;
  }

  get open(): boolean {
    return this.#open;
  }
  get dir(): string {
    return this.#dir;
  }
  set dir(value: string) {
    this.#dir = value;
  }
  get overwrite(): boolean {
    return this.#overwrite;
  }
  set overwrite(value: boolean) {
    this.#overwrite = value;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }
  get result(): ExportRecipeResult | null {
    return this.#result;
  }
  /** Why the recipe cannot be written yet (null when it can). */
  get problem(): string | null {
    if (!this.#request()) return 'Fix the form first: the recipe is the run it describes';
    if (!this.#dir.trim()) return 'Choose a folder';
    return null;
  }
  /** The command to run the written recipe on one machine with N processes (GPUs). */
  get command(): string | null {
    const r = this.#result;
    return r ? `torchrun --standalone --nproc_per_node N ${r.dir}/train.py --data IMAGEFOLDER --out OUT` : null;
  }

  toggle(): void {
    this.#open = !this.#open;
  }

  /** Asks the native dialog for a folder (Electron only). */
  async pickFolder(): Promise<void> {
    try {
      const { path } = await this.#client.invoke('dialog.pickFolder', { title: 'Write the training recipe to' });
      if (path) this.#dir = path;
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  async write(): Promise<void> {
    const config = this.#request();
    if (this.problem || !config) return;
    this.#busy = true;
    this.#result = null;
    try {
      const request = { config, format: 'torchrun' as const, dir: this.#dir.trim(), force: this.#overwrite };
      this.#result = await this.#client.invoke('runs.exportRecipe', request);
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#busy = false;
    }
  }
}
