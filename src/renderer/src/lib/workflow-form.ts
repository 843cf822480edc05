import { sweepPlan } from '../../../core/sweep-plan';
import type { WorkflowRequest, WorkflowStepName } from '../../../shared/api/workflows';
import type { BackendName } from '../../../shared/backends';
import { parseKTests } from './resolution';

/** What the wizard asks: the dataset and a time budget, plus a few advanced fields with the lab's defaults. */
export interface WorkflowForm {
  datasetId: number | null;
  name: string;
  budgetMinutes: number;
  /** Empty: the suggested K_train. */
  kTrain: number | null;
  epochs: number;
  batchSize: number;
  arch: 'resnet-mini' | 'resnet18' | 'resnet50';
  adapt: boolean;
  finetuneMode: 'classifier' | 'bn+classifier' | 'full';
  finetuneEpochs: number;
  /** Empty: the default plan. */
  kTestText: string;
  /** '' is Automatic (the ladder's choice). */
  backend: '' | BackendName;
}

export const DEFAULT_WORKFLOW_FORM: WorkflowForm = {
  datasetId: null,
  name: '',
  budgetMinutes: 30,
  kTrain: null,
  epochs: 10,
  batchSize: 32,
  arch: 'resnet-mini',
  adapt: true,
  finetuneMode: 'bn+classifier',
  finetuneEpochs: 2,
  kTestText: '',
  backend: '',
};

const whole = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** Field-level problems of the form (empty when it can be sent). */
export function workflowFormErrors(form: WorkflowForm): Partial<Record<keyof WorkflowForm, string>> {
  const errors: Partial<Record<keyof WorkflowForm, string>> = {};
  if (form.datasetId === null) errors.datasetId = 'choose a dataset';
  if (!(form.budgetMinutes > 0 && form.budgetMinutes <= 10_080)) errors.budgetMinutes = 'more than 0, at most a week (10 080)';
  if (form.kTrain !== null && !whole(form.kTrain, 1, 1024)) errors.kTrain = 'a whole size from 1 to 1024, or empty';
  if (!whole(form.epochs, 1, 1000)) errors.epochs = 'a whole number from 1 to 1000';
  if (!whole(form.batchSize, 1, 4096)) errors.batchSize = 'a whole number from 1 to 4096';
  if (!whole(form.finetuneEpochs, 1, 1000)) errors.finetuneEpochs = 'a whole number from 1 to 1000';
  const kTests = parseKTests(form.kTestText);
  if (kTests.error) errors.kTestText = kTests.error;
  return errors;
}

/** The request the form stands for (defaults left to the lab). */
export function workflowRequest(form: WorkflowForm & { datasetId: number }): WorkflowRequest {
  const { kTests } = parseKTests(form.kTestText);
  return {
    datasetId: form.datasetId,
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(form.kTrain !== null ? { kTrain: form.kTrain } : {}),
    budgetMinutes: form.budgetMinutes,
    arch: form.arch,
    epochs: form.epochs,
    batchSize: form.batchSize,
    adapt: form.adapt,
    finetune: { mode: form.finetuneMode, epochs: form.finetuneEpochs },
    ...(kTests.length ? { kTests } : {}),
    ...(form.backend ? { backend: form.backend } : {}),
  };
}

/** The K_test candidates the sweeps will use for a K_train (K_test* joins them after the analysis step). */
export function kTestCandidates(form: Pick<WorkflowForm, 'kTestText'>, kTrain: number): number[] {
  const typed = parseKTests(form.kTestText).kTests;
  return typed.length ? typed : sweepPlan({ kTrain, maxK: 1024 }).kTests;
}

/** What each workflow step is called on screen. */
export const STEP_LABELS: Record<WorkflowStepName, string> = {
  plan: 'Plan',
  train: 'Train at K_train',
  analyze: 'Analyse apparent size (K_test*)',
  sweep: 'Sweep K_test',
  adapt: 'Fréchet adaptation',
  finetune: 'Fine-tune at the best K_test',
  'sweep-finetuned': 'Sweep the fine-tuned model',
  summary: 'Summary',
};
