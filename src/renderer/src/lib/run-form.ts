import { RunConfig, type RunConfigInput } from '../../../shared/api/runs';
import type { BackendName } from '../../../shared/backends';

type Maybe<T> = T | null | undefined;

/** The Train form's fields as inputs hold them: numbers may be empty while being typed. */
export interface RunFormValues {
  datasetId: number | null;
  name: string;
  arch: 'resnet-mini' | 'resnet18' | 'resnet50';
  width: Maybe<number>;
  kTrain: Maybe<number>;
  epochs: Maybe<number>;
  batchSize: Maybe<number>;
  lr: Maybe<number>;
  schedule: 'constant' | 'step' | 'cosine' | 'linear';
  warmupEpochs: Maybe<number>;
  momentum: Maybe<number>;
  weightDecay: Maybe<number>;
  labelSmoothing: Maybe<number>;
  augment: 'rrc' | 'da1' | 'da2';
  hflip: boolean;
  /** Keep decoded images in memory between epochs. */
  decodeCache: boolean;
  jitter: Maybe<number>;
  scaleMin: Maybe<number>;
  scaleMax: Maybe<number>;
  ratioMin: Maybe<number>;
  ratioMax: Maybe<number>;
  cropPct: Maybe<number>;
  seed: Maybe<number>;
  /** '' = let the engine choose (best available rung). */
  backend: '' | BackendName;
}

/** The form's starting values: the RunConfig schema's own defaults, so UI and CLI agree. */
export function defaultRunFormValues(datasetId: number | null = null): RunFormValues {
  const d = RunConfig.parse({ datasetId: 1 });
  return {
    datasetId,
    name: '',
    arch: d.arch,
    width: d.width,
    kTrain: d.kTrain,
    epochs: d.epochs,
    batchSize: d.batchSize,
    lr: d.lr,
    schedule: d.schedule,
    warmupEpochs: d.warmupEpochs,
    momentum: d.momentum,
    weightDecay: d.weightDecay,
    labelSmoothing: d.labelSmoothing,
    augment: d.augment,
    hflip: d.hflip,
    decodeCache: d.decodeCache,
    jitter: d.jitter,
    scaleMin: d.scale[0],
    scaleMax: d.scale[1],
    ratioMin: Number(d.ratio[0].toFixed(4)),
    ratioMax: Number(d.ratio[1].toFixed(4)),
    cropPct: d.cropPct,
    seed: d.seed,
    backend: '',
  };
}

const opt = (v: Maybe<number>) => (v === null || v === undefined || Number.isNaN(v) ? undefined : v);

/** The runs.start request for the form (empty fields are left out, so the schema says what is missing). */
export function toRunRequest(v: RunFormValues): Record<string, unknown> {
  const request: Record<string, unknown> = {
    datasetId: v.datasetId ?? undefined,
    arch: v.arch,
    width: opt(v.width),
    kTrain: opt(v.kTrain),
    epochs: opt(v.epochs),
    batchSize: opt(v.batchSize),
    lr: opt(v.lr),
    schedule: v.schedule,
    warmupEpochs: opt(v.warmupEpochs),
    momentum: opt(v.momentum),
    weightDecay: opt(v.weightDecay),
    labelSmoothing: opt(v.labelSmoothing),
    augment: v.augment,
    hflip: v.hflip,
    decodeCache: v.decodeCache,
    jitter: opt(v.jitter),
    scale: [opt(v.scaleMin), opt(v.scaleMax)],
    ratio: [opt(v.ratioMin), opt(v.ratioMax)],
    cropPct: opt(v.cropPct),
    seed: opt(v.seed),
    ...(v.name.trim() ? { name: v.name.trim() } : {}),
    ...(v.backend ? { backend: v.backend } : {}),
  };
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
}

/** Field name → first message, from the RunConfig schema. Tuple fields report under their name ("scale"). */
export type FieldErrors = Partial<Record<keyof RunFormValues | 'scale' | 'ratio', string>>;

/** Schema errors per form field, the request when there are none, and errors on fields the form does not show. */
export function validateRunForm(values: RunFormValues): { errors: FieldErrors; other: string[]; request: RunConfigInput | null } {
  const request = toRunRequest(values);
  const parsed = RunConfig.safeParse(request);
  // A blank number field must not quietly fall back to the schema default.
  const errors: Record<string, string> = blankNumbers(values);
  if (parsed.success && !Object.keys(errors).length) return { errors: {}, other: [], request: request as RunConfigInput };
  if (parsed.success) return { errors: errors as FieldErrors, other: [], request: null };
  const other: string[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    const message = readable(issue, request[field], field);
    if (field in values || field === 'scale' || field === 'ratio') errors[field] ??= message;
    else other.push(field ? `${field}: ${message}` : message);
  }
  return { errors: errors as FieldErrors, other, request: null };
}

const NUMBER_FIELDS = [
  'width',
  'kTrain',
  'epochs',
  'batchSize',
  'lr',
  'warmupEpochs',
  'momentum',
  'weightDecay',
  'labelSmoothing',
  'jitter',
  'scaleMin',
  'scaleMax',
  'ratioMin',
  'ratioMax',
  'cropPct',
  'seed',
] as const satisfies readonly (keyof RunFormValues)[];

function blankNumbers(values: RunFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const key of NUMBER_FIELDS) {
    const v = values[key];
    if (v === null || v === undefined || Number.isNaN(v)) errors[key.replace(/(Min|Max)$/, '')] = 'Enter a value';
  }
  return errors;
}

const RELATIONS: Record<string, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' };

/** A schema issue as a short sentence for under the field. */
export function readable(issue: { code: string; message: string }, value: unknown, field: string): string {
  if (field === 'datasetId' && value === undefined) return 'Choose a dataset';
  if (value === undefined || (Array.isArray(value) && value.includes(undefined))) return 'Enter a value';
  if (issue.code === 'invalid_type' && /expected int/.test(issue.message)) return 'Must be a whole number';
  if (issue.code === 'invalid_type') return 'Enter a number';
  const bound = /expected \w+ to (?:be|have) (>=|<=|>|<)\s*(\S+)/.exec(issue.message);
  if (bound) return `Must be ${RELATIONS[bound[1]!]} ${bound[2]}`;
  return issue.message.replace(/^(scale|ratio): /, '');
}
