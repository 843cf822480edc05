import { budgetRefusal } from '../../../core/budget-refusal';
import { sweepPlan } from '../../../core/sweep-plan';
import { WorkflowRequest, type KTrainSuggestion, type WorkflowStepName } from '../../../shared/api/workflows';
import { checkForm, formDefaults, formRequest, type FormFields, type FormValues } from './hparam-form';
import { parseKTests } from './resolution';

/** The WorkflowRequest fields the wizard shows: form key → path in the request. */
export const WORKFLOW_FORM_FIELDS = {
  budgetMinutes: 'budgetMinutes',
  kTrain: 'kTrain',
  epochs: 'epochs',
  batchSize: 'batchSize',
  arch: 'arch',
  finetuneMode: 'finetune.mode',
  finetuneEpochs: 'finetune.epochs',
  finetuneCandidates: 'finetune.candidates',
  kTestText: 'kTests',
  adapt: 'adapt',
  payoff: 'payoff',
  backend: 'backend',
  name: 'name',
} as const satisfies FormFields;

/**
 * What the wizard asks: the dataset and a time budget (training from scratch), or an imported
 * model to FixRes; plus a few advanced fields with the lab's defaults.
 */
export interface WorkflowForm extends FormValues {
  datasetId: number | null;
  /** Train from scratch, or start from an imported model. */
  start: 'scratch' | 'model';
  modelId: number | null;
  /** Empty: the suggested K_train. */
  kTrain: number | null;
  /** Empty: the default plan. */
  kTestText: string;
}

export const DEFAULT_WORKFLOW_FORM: WorkflowForm = {
  ...(formDefaults(WorkflowRequest, WORKFLOW_FORM_FIELDS) as WorkflowForm),
  datasetId: null,
  start: 'scratch',
  modelId: null,
};

/** Field-level problems of the form (empty when it can be sent). */
export function workflowFormErrors(form: WorkflowForm): Record<string, string> {
  const { errors } = checkForm(WorkflowRequest, WORKFLOW_FORM_FIELDS, form, { datasetId: form.datasetId ?? undefined });
  return form.start === 'model' && form.modelId === null
    ? { ...errors, modelId: 'choose an imported model (Models view)' }
    : errors;
}

/** The request the form stands for (blank fields left to the lab). */
export function workflowRequest(form: WorkflowForm & { datasetId: number }): WorkflowRequest {
  const request = { ...formRequest(WorkflowRequest, WORKFLOW_FORM_FIELDS, form), datasetId: form.datasetId } as WorkflowRequest;
  if (form.start !== 'model' || form.modelId === null) return request;
  // The model decides the architecture (and K_train, unless typed); the budget only plans training from scratch.
  const { arch: _arch, ...fromModel } = request;
  return { ...fromModel, modelId: form.modelId };
}

/**
 * Why Start is disabled for this form and its plan: the budget is too small to learn anything and
 * the user chose neither K_train nor epochs (the lab would refuse it). Null: it may start.
 */
export function startBlockedReason(form: WorkflowForm, plan: KTrainSuggestion | null): string | null {
  if (form.start === 'model' || !plan) return null;
  return budgetRefusal(plan, { kTrain: form.kTrain, epochs: form.epochs as number | null | undefined });
}

/** The K_test candidates the sweeps will use for a K_train (K_test* joins them after the analysis step). */
export function kTestCandidates(form: Pick<WorkflowForm, 'kTestText'>, kTrain: number): number[] {
  const typed = parseKTests(form.kTestText).kTests;
  return typed.length ? typed : sweepPlan({ kTrain, maxK: 1024 }).kTests;
}

/** What each workflow step is called on screen. */
export const STEP_LABELS: Record<WorkflowStepName, string> = {
  plan: 'Plan',
  train: 'Train at K_train (or put the model to work)',
  analyze: 'Analyse apparent size (K_test*)',
  sweep: 'Sweep K_test',
  adapt: 'Fréchet adaptation',
  finetune: 'Fine-tune at K_test candidates',
  'sweep-finetuned': 'Sweep the fine-tuned model',
  'train-large': 'Train large (payoff)',
  'sweep-large': 'Sweep the large model',
  'finetune-large': 'Fine-tune the small model at the large size',
  summary: 'Summary',
};
