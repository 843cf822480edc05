import { LabError } from '../../shared/errors';
import type { EngineExit } from './engine-channel';

const OUT_OF_MEMORY = /out of memory|\bOOM\b|allocation failed/i;

/**
 * The error the jobs of an engine that died get. Out of memory is a failure with its reason
 * (running it again would fail the same way); any other death (a kill, a crash) is an
 * interruption the user can resume from the last checkpoint.
 */
export function engineExitError(label: string, exit: EngineExit): LabError {
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
  const oomLine = exit.stderrTail
    ?.split('\n')
    .map((l) => l.replace(/^[#\s]+/, '').trim())
    .find((l) => OUT_OF_MEMORY.test(l));
  if (exit.spawnError) {
    return new LabError({
      name: 'EngineExited',
      code: 'Interrupted',
      message: `The ${label} could not be started (${exit.spawnError}).`,
    });
  }
  if (oomLine) {
    const err = new LabError({
      name: 'EngineOutOfMemory',
      code: 'Environment',
      message: `The ${label} ran out of memory (${oomLine}) and stopped. Lower the batch size or K, or free memory; it restarts for the next job.`,
    });
    // What the process said, for a caller that words it for its own job (a run names its size).
    err.cause = oomLine;
    return err;
  }
  return new LabError({
    name: 'EngineExited',
    code: 'Interrupted',
    message: `The ${label} stopped unexpectedly (${how}). It restarts for the next job.`,
  });
}
