import type { ExportRecipeResult, RunConfigInput } from '../../../shared/api/runs';
import type { LabClient } from '../../../shared/client';
import { FolderWriteState } from './folder-write.svelte';

/**
 * "Run elsewhere…" on the run form: the form's settings written as a PyTorch torchrun recipe
 * (train.py + recipe.json) into a folder, for a machine with GPUs or a cluster. Nothing is
 * stored or started in the lab; the result comes back with a model import.
 */
export class RecipeExportState extends FolderWriteState<ExportRecipeResult> {
  /** The form's request, or null while the form is invalid. */
  #request: () => RunConfigInput | null;
  #open = $state(false);

  constructor(client: LabClient, request: () => RunConfigInput | null) {
    super(client, 'Write the training recipe to');
    this.#request = request;
  }

  get open(): boolean {
    return this.#open;
  }
  /** Why the recipe cannot be written yet (null when it can). */
  get problem(): string | null {
    if (!this.#request()) return 'Fix the form first: the recipe is the run it describes';
    return this.folderProblem;
  }
  /** The command to run the written recipe on one machine with N processes (GPUs). */
  get command(): string | null {
    const r = this.result;
    return r ? `torchrun --standalone --nproc_per_node N ${r.dir}/train.py --data IMAGEFOLDER --out OUT` : null;
  }

  toggle(): void {
    this.#open = !this.#open;
  }

  async write(): Promise<void> {
    const config = this.#request();
    if (this.problem || !config) return;
    await this.writeInto((dir, force) => this.client.invoke('runs.exportRecipe', { config, format: 'torchrun', dir, force }));
  }
}
