import type { Lab } from '../lab';
import type { Run, RunProgress } from '../shared/api/runs';
import { durationText } from '../shared/duration-text';
import { CliFailure } from './failure';
import { createProgressLine, printJson } from './output';

/** Waits for a queued or running run to end, drawing progress on a TTY and one line per epoch on stderr. Ctrl+C cancels it (checkpoint kept). */
export async function followRun(lab: Lab, runId: number, options: { json: boolean; print?: boolean }): Promise<number> {
  const progress = createProgressLine(`run #${runId}`);
  let lastEpochs = lab.runs.get(runId).epochsDone;
  const off = lab.events.subscribe((event, payload) => {
    if (event === 'run.progress' && (payload as RunProgress).runId === runId)
      progress.update(progressText(payload as RunProgress));
    if (event === 'run.updated' && (payload as Run).id === runId) {
      const run = payload as Run;
      if (run.epochsDone > lastEpochs) {
        lastEpochs = run.epochsDone;
        progress.done();
        process.stderr.write(`${epochLine(lab, runId)}\n`);
      }
    }
  });
  const cancel = () => {
    process.stderr.write(`\ncancelling run #${runId} at the next batch (its checkpoint is kept)…\n`);
    lab.runs.cancel(runId);
  };
  process.once('SIGINT', cancel);
  try {
    await lab.runs.settled(runId);
  } finally {
    process.off('SIGINT', cancel);
    off();
    progress.done();
  }
  const run = lab.runs.get(runId);
  if (run.status !== 'completed') throw runEnded(run);
  if (options.print === false) process.stderr.write(`${summary(run)}\n`);
  else if (options.json) printJson(run);
  else process.stdout.write(`${summary(run)}\n`);
  return 0;
}

/** A run that stopped before completing, as the command's failure (with --json, the run is printed beside the error). */
export function runEnded(run: Run): CliFailure {
  const code = run.status === 'cancelled' ? 'Cancelled' : run.status === 'interrupted' ? 'Interrupted' : 'Internal';
  const why = run.status === 'cancelled' ? 'its checkpoint is kept' : (run.error ?? 'unknown reason');
  return new CliFailure(`run #${run.id} ${run.status}: ${why}; resume it with: fixres resume ${run.id}`, code, { run });
}

function progressText(p: RunProgress): string {
  const width = 20;
  const done = Math.round((p.batch / p.batchesPerEpoch) * width);
  const eta = p.etaSeconds === null ? '' : ` ETA ${formatSeconds(p.etaSeconds)}`;
  return (
    `epoch ${p.epoch + 1}/${p.epochs} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ` +
    `loss ${p.loss.toFixed(3)} acc ${pct(p.acc)} lr ${p.lr.toPrecision(3)} ${Math.round(p.imgPerSec)} img/s${eta}`
  );
}

function epochLine(lab: Lab, runId: number): string {
  const detail = lab.runs.get(runId);
  const last = detail.epochs.at(-1)!.epoch;
  const rows = detail.epochs.filter((e) => e.epoch === last);
  const train = rows.find((e) => e.phase === 'train');
  const val = rows.find((e) => e.phase === 'val');
  const valText = val ? `  val loss ${val.loss?.toFixed(3)} acc ${pct(val.acc)}` : '';
  return (
    `epoch ${last + 1}/${detail.config.epochs}  train loss ${train?.loss?.toFixed(3)} acc ${pct(train?.acc ?? null)}` +
    `${valText}  lr ${train?.lr.toPrecision(3)}  ${Math.round(train?.imgPerSec ?? 0)} img/s  ${(train?.seconds ?? 0).toFixed(1)} s`
  );
}

/** One paragraph about a run, for humans. */
export function summary(run: Run): string {
  const acc = run.lastAcc === null ? '' : `, accuracy ${pct(run.lastAcc)}`;
  const speed = run.imgPerSec === null ? '' : `, ${Math.round(run.imgPerSec)} img/s`;
  return `run #${run.id} "${run.name}": ${run.status} after ${run.epochsDone}/${run.config.epochs} epochs${acc} (${run.backend ?? 'no backend yet'}${speed}, ${formatSeconds(run.wallSeconds)})`;
}

export function pct(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** The one wording of a duration (src/shared/duration-text.ts). */
export const formatSeconds = durationText;
