import type { Model, PredictResult } from '../../../shared/api/models';
import type { LabClient } from '../../../shared/client';
import { errorText } from '../lib/errors';
import {
  DEFAULT_IMPORT_FORM,
  importFormErrors,
  importRequest,
  predictRequest,
  toBase64,
  type ChosenImage,
  type ImportForm,
} from '../lib/model-forms';
import { upsertById } from '../lib/upsert';

/** Images at most this large are sent with a prediction (web mode takes 1 MB per request; base64 adds a third). */
export const MAX_SENT_IMAGE_BYTES = 700 * 1024;
/** Base64 characters per prediction request: several small images share one, each large one goes alone. */
export const MAX_REQUEST_BASE64 = 960_000;

/**
 * Imported models: the Import form, the list (live), removal, and the Predict panel (model,
 * K_test, crop_pct, the chosen or dropped images and their top-5).
 */
export class ModelsState {
  #client: LabClient;
  #items = $state.raw<Model[]>([]);
  #loaded = $state(false);
  #form = $state<ImportForm>({ ...DEFAULT_IMPORT_FORM });
  #importing = $state(false);
  #error = $state<string | null>(null);
  #predictModelId = $state<number | null>(null);
  #kTest = $state<number | null>(null);
  #cropPct = $state<number | null>(null);
  #images = $state.raw<ChosenImage[]>([]);
  #result = $state.raw<PredictResult | null>(null);
  #predicting = $state(false);
  #predictError = $state<string | null>(null);

  readonly #errors = $derived(importFormErrors(this.#form));

  constructor(client: LabClient) {
    this.#client = client;
  }

  get items(): Model[] {
    return this.#items;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  /** The Import form, bound by the view's fields. */
  get form(): ImportForm {
    return this.#form;
  }
  get fieldErrors(): Partial<Record<keyof ImportForm, string>> {
    return this.#errors;
  }
  get canImport(): boolean {
    return this.#form.file.trim() !== '' && Object.keys(this.#errors).length === 0 && !this.#importing;
  }
  get importing(): boolean {
    return this.#importing;
  }
  get error(): string | null {
    return this.#error;
  }
  get predictModelId(): number | null {
    return this.#predictModelId;
  }
  set predictModelId(id: number | null) {
    this.#predictModelId = id;
    this.#result = null;
  }
  get kTest(): number | null {
    return this.#kTest;
  }
  set kTest(k: number | null) {
    this.#kTest = k;
  }
  get cropPct(): number | null {
    return this.#cropPct;
  }
  set cropPct(c: number | null) {
    this.#cropPct = c;
  }
  get images(): ChosenImage[] {
    return this.#images;
  }
  get result(): PredictResult | null {
    return this.#result;
  }
  get predicting(): boolean {
    return this.#predicting;
  }
  get predictError(): string | null {
    return this.#predictError;
  }
  get canPredict(): boolean {
    return this.#predictModelId !== null && this.#images.length > 0 && !this.#predicting;
  }

  get(id: number): Model | null {
    return this.#items.find((m) => m.id === id) ?? null;
  }

  /** Follows imports and removals made anywhere (CLI, another window); returns the unsubscribe. */
  listen(): () => void {
    const offs = [
      this.#client.on('model.updated', (m) => this.#setItems(upsertById(this.#items, m, { prepend: true }))),
      this.#client.on('model.removed', ({ id }) => this.#setItems(this.#items.filter((m) => m.id !== id))),
    ];
    return () => offs.forEach((off) => off());
  }

  async load(): Promise<void> {
    try {
      this.#setItems(await this.#client.invoke('models.list', {}));
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  /** Imports the form's file; returns the model (null when refused, with the reason in `error`). */
  async importModel(): Promise<Model | null> {
    if (!this.canImport) return null;
    this.#importing = true;
    try {
      const model = await this.#client.invoke('models.import', importRequest(this.#form));
      this.#setItems(upsertById(this.#items, model, { prepend: true }));
      this.#form = { ...DEFAULT_IMPORT_FORM, arch: this.#form.arch };
      this.#predictModelId = model.id;
      this.#error = null;
      return model;
    } catch (err) {
      this.#error = errorText(err);
      return null;
    } finally {
      this.#importing = false;
    }
  }

  async remove(id: number): Promise<void> {
    try {
      await this.#client.invoke('models.remove', { id });
      this.#setItems(this.#items.filter((m) => m.id !== id));
      this.#error = null;
    } catch (err) {
      this.#error = errorText(err);
    }
  }

  /** Adds chosen or dropped files (images only; ones too large to send are refused by name). */
  async addFiles(
    files: readonly { name: string; type: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }[],
  ): Promise<void> {
    const refused: string[] = [];
    const added: ChosenImage[] = [];
    for (const file of files) {
      if (!file.type.startsWith('image/')) refused.push(`${file.name} (not an image)`);
      else if (file.size > MAX_SENT_IMAGE_BYTES) refused.push(`${file.name} (over ${MAX_SENT_IMAGE_BYTES / 1024} KB)`);
      else {
        const dataBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
        added.push({ name: file.name, dataBase64, preview: `data:${file.type};base64,${dataBase64}` });
      }
    }
    this.#images = [...this.#images, ...added].slice(-32);
    this.#result = null;
    this.#predictError = refused.length ? `Not added: ${refused.join(', ')}` : null;
  }

  clearImages(): void {
    this.#images = [];
    this.#result = null;
    this.#predictError = null;
  }

  /** Classifies the chosen images, in as many requests as web mode's request size needs. */
  async predict(): Promise<void> {
    if (!this.canPredict) return;
    this.#predicting = true;
    try {
      const options = { kTest: this.#kTest, cropPct: this.#cropPct };
      const parts: PredictResult[] = [];
      for (const group of requestGroups(this.#images)) {
        parts.push(await this.#client.invoke('models.predict', predictRequest(this.#predictModelId!, group, options)));
      }
      this.#result = { ...parts[0]!, predictions: parts.flatMap((p) => p.predictions) };
      this.#predictError = null;
    } catch (err) {
      this.#predictError = errorText(err);
    } finally {
      this.#predicting = false;
    }
  }

  dismissError(): void {
    this.#error = null;
    this.#predictError = null;
  }

  reset(): void {
    this.#items = [];
    this.#loaded = false;
    this.#form = { ...DEFAULT_IMPORT_FORM };
    this.#predictModelId = null;
    this.#kTest = null;
    this.#cropPct = null;
    this.clearImages();
    this.dismissError();
  }

  /** The list; the Predict panel keeps its model while it exists, else offers the newest. */
  #setItems(items: Model[]): void {
    this.#items = items;
    if (this.#predictModelId === null || !items.some((m) => m.id === this.#predictModelId))
      this.#predictModelId = items[0]?.id ?? null;
  }
}

/** The images in consecutive groups of at most MAX_REQUEST_BASE64 characters (an image larger than that alone). */
function requestGroups(images: readonly ChosenImage[]): ChosenImage[][] {
  const groups: ChosenImage[][] = [];
  let size = Infinity;
  for (const image of images) {
    if (size + image.dataBase64.length > MAX_REQUEST_BASE64) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(image);
    size += image.dataBase64.length;
  }
  return groups;
}
