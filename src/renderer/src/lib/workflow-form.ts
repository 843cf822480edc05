import { sweepPlan } from '../../../core/sweep-plan';
import type { FinetuneMode } from '../../../shared/api/finetune';
import type { WorkflowRequest, WorkflowStepName } from '../../../shared/api/workflows';
import { parseKTests } from './resolution';

/** What the wizard asks: the dataset and a time budget, plus a few advanced fields with the lab's defaults. */
export interface WorkflowForm {
  datasetId: number | null;
  name: string;
  budgetMinutes: number;
  /** Empty: the suggested K_train. */
  kTrain: number | null;
  /** Empty: about 2 500 training steps. */
  epochs: number | null;
  batchSize: number;
  arch: 'resnet-mini' | 'resnet18' | 'resnet50';
  adapt: boolean;
  finetuneMode: FinetuneMode;
  /** Empty: the recipe's epochs for the dataset (about 600 steps). */
  finetuneEpochs: number | null;
  /** Fine-tuned K_test the workflow tries. */
  finetuneCandidates: number;
  /** Also train at a large K_train and compare (the payoff experiment). */
  payoff: boolean;
  /** Empty: the default plan. */
  kTestText: string;
}

export const DEFAULT_WORKFLOW_FORM: WorkflowForm = {
  datasetId: null,
  name: '',
  budgetMinutes: 10,
  kTrain: null,
  epochs: null,
  batchSize: 32,
  arch: 'resnet-mini',
  adapt: true,
  finetuneMode: 'last-bn+classifier',
  finetuneEpochs: null,
  finetuneCandidates: 3,
  payoff: false,
  kTestText: '',
};

const whole = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** Field-level problems of the form (empty when it can be sent). */
export function workflowFormErrors(form: WorkflowForm): Partial<Record<keyof WorkflowForm, string>> {
  const errors: Partial<Record<keyof WorkflowForm, string>> = {};
  if (form.datasetId === null) errors.datasetId = 'choose a dataset';
  if (!(form.budgetMinutes > 0 && form.budgetMinutes <= 10_080)) errors.budgetMinutes = 'more than 0, at most a week (10 080)';
  if (form.kTrain !== null && !whole(form.kTrain, 1, 1024)) errors.kTrain = 'a whole size from 1 to 1024, or empty';
  if (form.epochs !== null && !whole(form.epochs, 1, 1000)) errors.epochs = 'a whole number from 1 to 1000, or empty';
  if (!whole(form.finetuneCandidates, 1, 8)) errors.finetuneCandidates = 'a whole number from 1 to 8';
  if (!whole(form.batchSize, 1, 4096)) errors.batchSize = 'a whole number from 1 to 4096';
  if (form.finetuneEpochs !== null && !whole(form.finetuneEpochs, 1, 1000))
    errors.finetuneEpochs = 'a whole number from 1 to 1000, or empty';
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
    ...(form.epochs === null ? {} : { epochs: form.epochs }),
    batchSize: form.batchSize,
    adapt: form.adapt,
    payoff: form.payoff,
    finetune: {
      mode: form.finetuneMode,
      candidates: form.finetuneCandidates,
      ...(form.finetuneEpochs === null ? {} : { epochs: form.finetuneEpochs }),
    },
    ...(kTests.length ? { kTests } : {}),
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
  finetune: 'Fine-tune at K_test candidates',
  'sweep-finetuned': 'Sweep the fine-tuned model',
  'train-large': 'Train large (payoff)',
  'sweep-large': 'Sweep the large model',
  'finetune-large': 'Fine-tune the small model at the large size',
  summary: 'Summary',
};
