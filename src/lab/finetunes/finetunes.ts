import type { FinetuneStarted, ParsedFinetuneRequest } from '../../shared/api/finetune';
import { SweepRequest } from '../../shared/api/sweeps';
import { startFinetune, type RunService } from '../runs';
import type { SweepService } from '../sweeps';

/**
 * Fine-tune, then sweep the child: one operation for the Resolution view, `fixres finetune` and
 * the workflow. The child's sweep is stored and queued with the fine-tune, right behind it, so
 * every client sees both at once and it survives a restart like any sweep; it measures once the
 * child has trained (and ends cancelled, saying why, if the child did not complete).
 */
export class FinetuneService {
  #runs: RunService;
  #sweeps: SweepService;

  constructor(deps: { runs: RunService; sweeps: SweepService }) {
    this.#runs = deps.runs;
    this.#sweeps = deps.sweeps;
  }

  /** Starts the child run; with `sweepAfter`, its sweep at those K_test values, else at the parent's latest sweep's. */
  start(request: ParsedFinetuneRequest): FinetuneStarted {
    const run = startFinetune(this.#runs, request);
    if (!request.sweepAfter) return { run, sweep: null };
    const kTests = request.sweepAfter.kTests ?? this.parentKTests(request.parentRunId);
    const sweep = this.#sweeps.startAfterTraining(SweepRequest.parse({ runId: run.id, ...(kTests ? { kTests } : {}) }));
    return { run, sweep };
  }

  /** The K_test list of the parent's latest sweep, so parent and child are measured at the same sizes (none: the child's plan). */
  parentKTests(parentRunId: number): number[] | undefined {
    return this.#sweeps.list(parentRunId)[0]?.settings.kTests;
  }
}
