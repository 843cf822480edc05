import type { ImportModelRequest, PredictRequest } from '../../../shared/api/models';
import { ARCH_NAMES, type ArchName } from '../../../shared/models/registry';

/** The Import form as its inputs hold it (numbers may be empty: then the config or the defaults decide). */
export interface ImportForm {
  file: string;
  arch: ArchName;
  name: string;
  classesFile: string;
  kTrain: number | null;
  cropPct: number | null;
}

export const DEFAULT_IMPORT_FORM: ImportForm = {
  file: '',
  arch: 'resnet50',
  name: '',
  classesFile: '',
  kTrain: null,
  cropPct: null,
};

/** The architectures weights can be imported for (every registered one). */
export const IMPORT_ARCHS: readonly ArchName[] = ARCH_NAMES;

/** Field-level problems of the Import form (an empty file path is no error yet: the button waits for one). */
export function importFormErrors(form: ImportForm): Partial<Record<keyof ImportForm, string>> {
  const errors: Partial<Record<keyof ImportForm, string>> = {};
  if (form.kTrain !== null && !(Number.isInteger(form.kTrain) && form.kTrain >= 1 && form.kTrain <= 1024))
    errors.kTrain = 'a whole size from 1 to 1024, or empty';
  if (form.cropPct !== null && !(form.cropPct > 0 && form.cropPct <= 1)) errors.cropPct = 'more than 0, at most 1, or empty';
  return errors;
}

/** The import request the form stands for (what is left empty is left to the config next to the weights, or the defaults). */
export function importRequest(form: ImportForm): ImportModelRequest {
  return {
    file: form.file.trim(),
    arch: form.arch,
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(form.classesFile.trim() ? { classesFile: form.classesFile.trim() } : {}),
    ...(form.kTrain !== null ? { kTrain: form.kTrain } : {}),
    ...(form.cropPct !== null ? { cropPct: form.cropPct } : {}),
  };
}

/** Images chosen or dropped in the app: their names and bytes, sent with the prediction request. */
export interface ChosenImage {
  name: string;
  dataBase64: string;
  /** A data: URL to show it. */
  preview: string;
}

/** A file size in words (KB under a megabyte). */
export function fileSize(bytes: number): string {
  return bytes < 2 ** 20 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** Base64 of bytes, in chunks (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** The prediction request for a model, the chosen images and the K_test / crop_pct typed (empty: the model's). */
export function predictRequest(
  modelId: number,
  images: readonly ChosenImage[],
  options: { kTest: number | null; cropPct: number | null },
): PredictRequest {
  return {
    model: { modelId },
    images: images.map(({ name, dataBase64 }) => ({ name, dataBase64 })),
    topK: 5,
    ...(options.kTest !== null ? { kTest: options.kTest } : {}),
    ...(options.cropPct !== null ? { cropPct: options.cropPct } : {}),
  };
}
