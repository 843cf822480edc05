import { RunConfig, type RunConfigInput } from '../../../shared/api/runs';
import { metaOf } from '../../../shared/hparams/meta';
import { checkForm, formDefaults, formRequest, type FormFields, type FormValues } from './hparam-form';

/** The RunConfig fields the Train form shows (each is its own key): every field with metadata that forms may offer. */
export const RUN_FORM_FIELDS: FormFields = Object.fromEntries(
  Object.keys(RunConfig.shape)
    .filter((key) => {
      const meta = metaOf(RunConfig.shape[key as keyof typeof RunConfig.shape]);
      return meta !== null && meta.inForm !== false;
    })
    .map((key) => [key, key]),
);

/** The Train form's values as its inputs hold them (numbers may be empty while typed), and the dataset. */
export type RunFormValues = FormValues & { datasetId: number | null };
/** Field name → first message, from the RunConfig schema. Tuple fields report under their name ("scale"). */
export type FieldErrors = Record<string, string>;

/** The form's starting values: the RunConfig schema's own defaults, so UI and CLI agree. */
export function defaultRunFormValues(datasetId: number | null = null): RunFormValues {
  return { ...formDefaults(RunConfig, RUN_FORM_FIELDS), datasetId };
}

/** The runs.start request for the form (empty fields are left out, so the schema says what is missing). */
export function toRunRequest(v: RunFormValues): Record<string, unknown> {
  return { ...(v.datasetId === null ? {} : { datasetId: v.datasetId }), ...formRequest(RunConfig, RUN_FORM_FIELDS, v) };
}

/** Schema errors per form field, the request when there are none, and errors on fields the form does not show. */
export function validateRunForm(values: RunFormValues): { errors: FieldErrors; other: string[]; request: RunConfigInput | null } {
  const { errors, other, request } = checkForm(RunConfig, RUN_FORM_FIELDS, values, { datasetId: values.datasetId ?? undefined });
  return { errors, other, request: request as RunConfigInput | null };
}
