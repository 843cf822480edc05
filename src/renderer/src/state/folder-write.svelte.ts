import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';

/**
 * A form that writes files into a folder the user names: the folder, whether to replace what is there,
 * busy while writing, and the last write's result or why it failed. Subclasses say what is written.
 */
export class FolderWriteState<Result> {
  protected readonly client: LabClient;
  /** The native folder dialog's title. */
  #dialogTitle: string;
  #dir = $state('');
  #overwrite = $state(false);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #result = $state.raw<Result | null>(null);

  constructor(client: LabClient, dialogTitle: string) {
    this.client = client;
    this.#dialogTitle = dialogTitle;
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
  get result(): Result | null {
    return this.#result;
  }
  /** Why nothing can be written yet because of the folder (null when a folder is named). */
  protected get folderProblem(): string | null {
    return this.#dir.trim() ? null : 'Choose a folder';
  }

  /** Asks the native dialog for a folder (Electron only). */
  async pickFolder(): Promise<void> {
    try {
      const { path } = await this.client.invoke('dialog.pickFolder', { title: this.#dialogTitle });
      if (path) this.#dir = path;
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  /** Runs one write into the trimmed folder: busy meanwhile, then its result kept, or its error. */
  protected async writeInto(send: (dir: string, overwrite: boolean) => Promise<Result>): Promise<void> {
    this.#busy = true;
    this.#result = null;
    try {
      this.#result = await send(this.#dir.trim(), this.#overwrite);
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#busy = false;
    }
  }

  /** Forgets the folder, the overwrite choice, the result and the error. */
  protected clearFolder(): void {
    this.#dir = '';
    this.#overwrite = false;
    this.#error = null;
    this.#result = null;
  }
}
