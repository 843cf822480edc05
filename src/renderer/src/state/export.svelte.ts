import { DEFAULT_EXPORT_FORMATS, EXPORT_FORMATS, type ExportFormat, type ExportResult } from '../../../shared/api/exports';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';

/** What is exported: a run, or a workflow with its runs. */
export type ExportTarget = { kind: 'run' | 'workflow'; id: number };

/** The export form of a run or workflow: formats, folder, overwrite, and the files written (or why not). */
export class ExportState {
  readonly target: ExportTarget;
  #client: LabClient;
  #formats = $state<ExportFormat[]>([...DEFAULT_EXPORT_FORMATS]);
  /** Untouched, the request names no formats: the lab's default, the same as the CLI's. */
  #touched = false;
  #dir = $state('');
  #overwrite = $state(false);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #result = $state.raw<ExportResult | null>(null);

  constructor(client: LabClient, target: ExportTarget) {
    this.#client = client;
    this.target = target;
  }

  get formats(): readonly ExportFormat[] {
    return this.#formats;
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
  get result(): ExportResult | null {
    return this.#result;
  }
  /** Why the form cannot be sent yet (null when it can). */
  get problem(): string | null {
    if (this.#formats.length === 0) return 'Choose at least one format';
    if (!this.#dir.trim()) return 'Choose a folder';
    return null;
  }

  toggle(format: ExportFormat): void {
    this.#touched = true;
    this.#formats = this.#formats.includes(format)
      ? this.#formats.filter((f) => f !== format)
      : EXPORT_FORMATS.filter((f) => f === format || this.#formats.includes(f));
  }

  /** Asks the native dialog for a folder (Electron only). */
  async pickFolder(): Promise<void> {
    try {
      const { path } = await this.#client.invoke('dialog.pickFolder', { title: 'Export to folder' });
      if (path) this.#dir = path;
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  async export(): Promise<void> {
    if (this.problem) return;
    this.#busy = true;
    this.#result = null;
    const request = {
      id: this.target.id,
      ...(this.#touched ? { formats: [...this.#formats] } : {}),
      dir: this.#dir.trim(),
      overwrite: this.#overwrite,
    };
    try {
      this.#result =
        this.target.kind === 'run'
          ? await this.#client.invoke('runs.export', request)
          : await this.#client.invoke('workflows.export', request);
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#busy = false;
    }
  }

  reset(): void {
    this.#formats = [...DEFAULT_EXPORT_FORMATS];
    this.#touched = false;
    this.#dir = '';
    this.#overwrite = false;
    this.#error = null;
    this.#result = null;
  }
}
