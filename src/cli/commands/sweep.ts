import { parseArgs } from 'node:util';
import type { Lab } from '../../lab';
import { SweepRequest, type Sweep, type SweepDetail, type SweepPoint, type SweepProgressEvent } from '../../shared/api/sweeps';
import { flagOfPath, hparamFlags, parseOptionsOf, readHParamFlags } from '../hparam-flags';
import { flagHelp, flagTokens, JSON_FLAG, wrapUsage } from '../hparam-usage';
import { openLab } from '../lab-context';
import { createProgressLine, printJson } from '../output';
import { CliFailure, usageFailure } from '../failure';
import { request } from '../request';
import { formatSeconds, pct } from '../run-follow';

const FLAGS = hparamFlags(SweepRequest);

export const sweepUsage = `${wrapUsage('fixres sweep <run-id>', [...flagTokens(FLAGS), '[--json]'])}
                 evaluate a run at several K_test (accuracy, pooled-feature statistics, Fréchet fits)
  fixres sweep resume <sweep-id> [--json]   measure the K_test values a stopped sweep has not measured yet`;
export const sweepHelp = flagHelp(FLAGS, [JSON_FLAG]);

const OPTIONS = { ...parseOptionsOf(FLAGS), json: { type: 'boolean' } } as const;

export async function sweepCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const resuming = positionals[0] === 'resume';
  const id = Number(positionals[resuming ? 1 : 0]);
  if (!Number.isInteger(id) || id <= 0) throw usageFailure(sweepUsage);
  const lab = openLab();
  try {
    const sweep = resuming
      ? await request(lab, 'sweeps.resume', { id })
      : await request(lab, 'sweeps.start', { ...readHParamFlags(FLAGS, values), runId: id } as SweepRequest, {
          ...flagOfPath(FLAGS),
          runId: 'run',
        });
    process.stderr.write(`sweep #${sweep.id} of run #${sweep.runId}: K_test ${sweep.settings.kTests.join(', ')}\n`);
    return await followSweep(lab, sweep, values.json ? 'json' : 'table');
  } finally {
    lab.close();
  }
}

/** Waits for a sweep, drawing progress on a TTY; Ctrl+C cancels it (measured K_test kept). Prints its table or JSON. */
export async function followSweep(lab: Lab, sweep: Sweep, output: 'table' | 'json' | 'none'): Promise<number> {
  const progress = createProgressLine(`sweep #${sweep.id}`);
  const off = lab.events.subscribe((event, payload) => {
    const p = payload as SweepProgressEvent;
    if (event !== 'sweep.progress' || p.sweepId !== sweep.id) return;
    const where = p.phase === 'reference' ? 'reference features' : `K_test ${p.kTest} (${p.index + 1}/${p.resolutions})`;
    progress.update(`${where} ${p.done}/${p.total} images, ${Math.round(p.imgPerSec)} img/s`);
  });
  const cancel = () => {
    process.stderr.write(`\ncancelling sweep #${sweep.id} (measured test sizes are kept)…\n`);
    lab.sweeps.cancel(sweep.id);
  };
  process.once('SIGINT', cancel);
  let ended: Sweep;
  try {
    ended = await lab.sweeps.settled(sweep.id);
  } finally {
    process.off('SIGINT', cancel);
    off();
    progress.done();
  }
  const detail = lab.sweeps.get(ended.id);
  if (ended.status !== 'completed') {
    const code = ended.status === 'cancelled' ? 'Cancelled' : ended.status === 'interrupted' ? 'Interrupted' : 'Internal';
    const why = ended.error ? `: ${ended.error}` : ' (measured test sizes are kept)';
    throw new CliFailure(`sweep #${ended.id} ${ended.status}${why}; continue it with: fixres sweep resume ${ended.id}`, code, {
      sweep: detail,
    });
  }
  if (output === 'json') printJson(detail);
  else if (output === 'table') process.stdout.write(sweepTable(detail, lab.sweeps.points(detail.runId)));
  return 0;
}

/** A sweep as a table: one line per K_test with the run's accuracy and loss (plain and Fréchet), pooled-feature statistics and their fit. */
export function sweepTable(sweep: SweepDetail, runPoints: SweepPoint[]): string {
  const kTrain = sweep.settings.kTrain;
  const lines = [
    `sweep #${sweep.id} of run #${sweep.runId} (K_train ${kTrain}, K_test* ${sweep.settings.kTestStar ?? '–'}, crop_pct ${sweep.settings.cropPct}): ${sweep.status}, ${formatSeconds(sweep.wallSeconds)}${sweep.imgPerSec ? `, ${Math.round(sweep.imgPerSec)} img/s` : ''} on ${sweep.backend ?? '–'}`,
  ];
  if (sweep.reference) {
    const r = sweep.reference;
    lines.push(
      `reference (${r.source}, K ${r.kTrain}, ${r.images} images): Fréchet μ ${r.frechet.mu.toFixed(4)} σ ${r.frechet.sigma.toFixed(4)} ξ ${r.frechet.xi} KS ${r.frechet.ks.toFixed(3)}`,
    );
  }
  // ξ is the same fixed value on every line unless the sweep fitted it, so it only gets a column then.
  const freeXi = sweep.settings.freeXi;
  lines.push(
    `${'K_test'.padStart(6)} ${'top-1'.padStart(7)} ${'95%-interval'.padStart(12)} ${'top-5'.padStart(7)} ${'loss'.padStart(7)} ${'Fréchet'.padStart(8)}  ${'mean'.padStart(7)} ${'std'.padStart(7)} ${'zeros'.padStart(6)} ${'max'.padStart(7)} ${'μ'.padStart(7)} ${'σ'.padStart(7)}${freeXi ? ` ${'ξ'.padStart(6)}` : ''} ${'KS'.padStart(6)}`,
  );
  for (const k of sweep.settings.kTests) {
    const plain = runPoints.find((p) => p.kTest === k && p.adapter === 'none');
    const adapted = runPoints.find((p) => p.kTest === k && p.adapter === 'frechet');
    const stats = sweep.activations.find((a) => a.kTest === k);
    const s = stats?.summary;
    const f = stats?.frechet;
    lines.push(
      `${`${k}${k === kTrain ? '*' : ''}`.padStart(6)} ${pct(plain?.top1 ?? null).padStart(7)} ${(plain?.ci95 ? plain.ci95.map((v) => (100 * v).toFixed(1)).join('–') : '–').padStart(12)} ${pct(plain?.top5 ?? null).padStart(7)} ${(plain?.loss?.toFixed(4) ?? '–').padStart(7)} ${pct(adapted?.top1 ?? null).padStart(8)}  ` +
        `${(s ? s.mean.toFixed(4) : '–').padStart(7)} ${(s ? s.std.toFixed(4) : '–').padStart(7)} ${(s && s.n ? pct(s.zeros / s.n) : '–').padStart(6)} ` +
        `${(s && s.n ? s.max.toFixed(3) : '–').padStart(7)} ${(f ? f.mu.toFixed(4) : '–').padStart(7)} ${(f ? f.sigma.toFixed(4) : '–').padStart(7)}` +
        `${freeXi ? ` ${(f ? f.xi.toFixed(3) : '–').padStart(6)}` : ''} ${(f ? f.ks.toFixed(3) : '–').padStart(6)}`,
    );
  }
  lines.push(
    `(* = K_train; top-1 on all ${runPoints[0]?.n ?? '–'} validation images with its Wilson 95 % interval; "Fréchet" is top-1 with the parametric adaptation; mean … max: pooled features; μ, σ${freeXi ? ', ξ' : ` (ξ ${sweep.settings.xi})`}, KS: their Fréchet fit)`,
  );
  return `${lines.join('\n')}\n`;
}
