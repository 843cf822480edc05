import { z } from 'zod';
import { KSize, KTestList } from '../hparams/fields';
import { FinetuneHParams } from '../hparams/finetune';
import { Run, RunId, RunName } from './runs';
import { Sweep } from './sweeps';

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
  /**
   * Sweep the child once it has trained, at these K_test values (default: the parent's latest
   * sweep's, so the curves line up). The sweep is queued right behind the fine-tune.
   */
  sweepAfter: z
    .object({ kTests: KTestList.optional() })
    .strict()
    .meta({ label: 'Sweep after', help: 'Sweep the child once it has trained', flag: false })
    .optional(),
}).strict();
export type FinetuneRequest = z.input<typeof FinetuneRequest>;
export type ParsedFinetuneRequest = z.output<typeof FinetuneRequest>;

/** A started fine-tune: the child run, and the sweep queued behind it when `sweepAfter` asked for one. */
export const FinetuneStarted = z.object({ run: Run, sweep: Sweep.nullable() });
export type FinetuneStarted = z.infer<typeof FinetuneStarted>;
