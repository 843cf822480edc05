import { DEFAULT_EXPORT_FORMATS, EXPORT_FORMATS, type ExportFormat, type ExportResult } from '../../../shared/api/exports';
import type { LabClient } from '../../../shared/client';
import { FolderWriteState } from './folder-write.svelte';

/** What is exported: a run, or a workflow with its runs. */
export type ExportTarget = { kind: 'run' | 'workflow'; id: number };

/** The export form of a run or workflow: formats, folder, overwrite, and the files written (or why not). */
export class ExportState extends FolderWriteState<ExportResult> {
  readonly target: ExportTarget;
  #formats = $state<ExportFormat[]>([...DEFAULT_EXPORT_FORMATS]);
  /** Untouched, the request names no formats: the lab's default, the same as the CLI's. */
  #touched = false;

  constructor(client: LabClient, target: ExportTarget) {
    super(client, 'Export to folder');
    this.target = target;
  }

  get formats(): readonly ExportFormat[] {
    return this.#formats;
  }
  /** Why the form cannot be sent yet (null when it can). */
  get problem(): string | null {
    if (this.#formats.length === 0) return 'Choose at least one format';
    return this.folderProblem;
  }

  toggle(format: ExportFormat): void {
    this.#touched = true;
    this.#formats = this.#formats.includes(format)
      ? this.#formats.filter((f) => f !== format)
      : EXPORT_FORMATS.filter((f) => f === format || this.#formats.includes(f));
  }

  async export(): Promise<void> {
    if (this.problem) return;
    const formats = this.#touched ? { formats: [...this.#formats] } : {};
    await this.writeInto((dir, overwrite) => {
      const request = { id: this.target.id, ...formats, dir, overwrite };
      return this.target.kind === 'run'
        ? this.client.invoke('runs.export', request)
        : this.client.invoke('workflows.export', request);
    });
  }

  reset(): void {
    this.#formats = [...DEFAULT_EXPORT_FORMATS];
    this.#touched = false;
    this.clearFolder();
  }
}
