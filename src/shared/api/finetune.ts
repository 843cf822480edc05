import type { z } from 'zod';
import { KSize } from '../hparams/fields';
import { FinetuneHParams } from '../hparams/finetune';
import { RunId, RunName } from './runs';

export { FINETUNE_LR_AT_512 } from '../hparams/finetune';

/**
 * Fine-tune a trained run at a test resolution (FixRes): the child run starts from the parent's
 * checkpoint, trains at `kTest` with the test-time pre-processing (DA1) or its light
 * augmentation (DA2), and by default re-estimates BatchNorm and trains the classifier only.
 */
export const FinetuneRequest = FinetuneHParams.extend({
  parentRunId: RunId.meta({ label: 'Run', help: 'The trained run to fine-tune', flag: false }),
  /** The resolution to fine-tune (and then test) at. */
  kTest: KSize.meta({ label: 'K_test', unit: 'px', help: 'The resolution to fine-tune (and then test) at', valueName: 'K' }),
  name: RunName.optional(),
}).strict();
export type FinetuneRequest = z.input<typeof FinetuneRequest>;
export type ParsedFinetuneRequest = z.output<typeof FinetuneRequest>;
