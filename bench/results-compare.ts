/**
 * docs/RESULTS.md's tables and charts from the runs of bench/results-runs.sh: the lab's workflows
 * (read from its database, read-only) and the PyTorch reference (bench/reference/fixres_protocol.py
 * outputs), side by side, with the lab's own statistics for both: top-1 on the held-out half with
 * its Wilson interval, K_test picked on the selection half, gains with McNemar's exact test.
 *
 *   [ONLY=shapes] npx tsx bench/results-compare.ts [RESULTS_DIR …=/tmp/fixres-results] [--svg docs/results]
 *
 * Several results folders (one per seed run side by side) are read as one.
 *
 * Prints Markdown on stdout; with --svg writes one accuracy-vs-K_test chart per dataset (lab and
 * PyTorch, every seed, 95 % interval bars) into the folder.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finetuneCandidates } from '../src/core/finetune-candidates';
import { proportion } from '../src/core/stats';
import { completedOutput } from '../src/lab/workflows/workflow-step-kit';
import { lineChartSvg, PALETTE, type SvgSeries } from '../src/lab/export/export-svg';
import type { Accuracy, PairedGain } from '../src/shared/api/sweeps';
import { accuracyText, gainText } from '../src/shared/stats-text';
import { pairedGainOn } from '../src/lab/sweeps';
import type { Db } from '../src/store/db';
import { listPointImages } from '../src/store/point-images';
import { listWorkflows, listWorkflowSteps } from '../src/store/workflows';

const args = process.argv.slice(2);
const svgAt = args.indexOf('--svg');
const svgDir = svgAt >= 0 ? args[svgAt + 1] : null;
const given = args.filter((a, i) => !a.startsWith('--') && (svgAt < 0 || i !== svgAt + 1));
const DIRS = given.length ? given : [process.env.RESULTS_DIR ?? '/tmp/fixres-results'];

/** One K_test of one model: per-image correctness and the selection mask, in one image order. */
interface Measured {
  kTest: number;
  correct: Uint8Array;
  selection: Uint8Array;
}

/** What one seed of one engine gives for one dataset. */
interface Outcome {
  engine: 'lab' | 'PyTorch';
  seed: number;
  kTrain: number;
  curve: Measured[];
  finetuned: Measured[];
  trainSeconds: number | null;
  /** Peak memory of the small run's training (lab: the engine's RSS during the run; PyTorch: the process after it). */
  trainPeakMb: number | null;
  payoff: {
    kLarge: number;
    large: Measured[];
    smallFinetuned: Measured | null;
    largeSeconds: number | null;
    /** Seconds of the small model's fine-tune at K_large. */
    finetuneSeconds: number | null;
    /** The lab's engine RSS during the large run (the engine keeps its heap from the small run, so ≥ the small's). */
    largePeakMb: number | null;
  } | null;
}

const on = (m: Measured, half: 0 | 1) => {
  let right = 0;
  let n = 0;
  m.selection.forEach((s, i) => {
    if (s !== half) return;
    n++;
    right += m.correct[i]!;
  });
  return proportion(right, n);
};
const heldOut = (m: Measured): Accuracy => {
  const p = on(m, 0);
  return { top1: p.value, n: p.n, ci95: p.ci95 };
};
const best = (ms: Measured[]) =>
  ms.reduce((a, b) => (on(b, 1).value > on(a, 1).value || (on(b, 1).value === on(a, 1).value && b.kTest < a.kTest) ? b : a));
const gain = (first: Measured, second: Measured): PairedGain => pairedGainOn(first, second, 'held-out');

function labOutcomes(db: Db, dataset: string): Outcome[] {
  const workflows = listWorkflows(db).filter((w) => w.status === 'completed' && w.name.startsWith(`${dataset}-k`));
  return workflows.map((w) => {
    const steps = listWorkflowSteps(db, w.id);
    const trainRunId = steps.find((s) => s.step === 'train')!.run_id!;
    const series = (runId: number): Measured[] =>
      listPointImages(db, runId)
        .filter((p) => p.adapter === 'none')
        .map((p) => ({ kTest: p.kTest, correct: p.correct, selection: p.selection }));
    const search = completedOutput(steps, 'finetune');
    const cost = (runId: number) =>
      db.prepare('SELECT wall_seconds AS seconds, peak_rss_mb AS peakMb FROM runs WHERE id = ?').get(runId) as {
        seconds: number;
        peakMb: number | null;
      };
    const wall = (runId: number) => cost(runId).seconds;
    const large = completedOutput(steps, 'train-large');
    const tuned = completedOutput(steps, 'finetune-large');
    return {
      engine: 'lab' as const,
      seed: w.config.seed,
      kTrain: completedOutput(steps, 'plan')!.kTrain,
      curve: series(trainRunId).sort((a, b) => a.kTest - b.kTest),
      finetuned: (search?.candidates ?? []).map((c) => series(c.runId).find((m) => m.kTest === c.kTest)!),
      trainSeconds: wall(trainRunId),
      trainPeakMb: cost(trainRunId).peakMb,
      payoff:
        large && tuned
          ? {
              kLarge: tuned.kLarge,
              large: series(large.runId).sort((a, b) => a.kTest - b.kTest),
              smallFinetuned: series(tuned.runId).find((m) => m.kTest === tuned.kLarge) ?? null,
              largeSeconds: wall(large.runId),
              finetuneSeconds: wall(tuned.runId),
              largePeakMb: cost(large.runId).peakMb,
            }
          : null,
    };
  });
}

interface TorchPoint {
  kTest: number;
  series: string;
  correct: number[];
  selectionMask: number[];
}
interface TorchOut {
  args: { seed: number; k_train: number };
  train: { seconds: number };
  peakRssMb?: number;
  points: TorchPoint[];
  large?: { kTrain: number; train: { seconds: number }; points: TorchPoint[]; smallFinetuned: TorchPoint & { seconds?: number } };
}

function torchOutcomes(resultsDir: string, dataset: string): Outcome[] {
  const dir = join(resultsDir, 'torch');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${dataset}-k`) && f.endsWith('.json'))
    .map((f) => {
      const out = JSON.parse(readFileSync(join(dir, f), 'utf8')) as TorchOut;
      const m = (p: TorchPoint): Measured => ({
        kTest: p.kTest,
        correct: Uint8Array.from(p.correct),
        selection: Uint8Array.from(p.selectionMask),
      });
      return {
        engine: 'PyTorch' as const,
        seed: out.args.seed,
        kTrain: out.args.k_train,
        curve: out.points.filter((p) => p.series === 'baseline').map(m),
        finetuned: out.points.filter((p) => p.series === 'finetuned').map(m),
        trainSeconds: out.train.seconds,
        trainPeakMb: out.peakRssMb ?? null,
        payoff: out.large
          ? {
              kLarge: out.large.kTrain,
              large: out.large.points.map(m),
              smallFinetuned: m(out.large.smallFinetuned),
              largeSeconds: out.large.train.seconds,
              finetuneSeconds: out.large.smallFinetuned.seconds ?? null,
              // The script's one RSS figure is taken before the large run starts.
              largePeakMb: null,
            }
          : null,
      };
    });
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function section(dataset: string, dbs: Db[]): string {
  const outcomes = [...dbs.flatMap((db) => labOutcomes(db, dataset)), ...DIRS.flatMap((dir) => torchOutcomes(dir, dataset))].sort(
    (a, b) => a.engine.localeCompare(b.engine) || a.seed - b.seed,
  );
  if (!outcomes.length) return `### ${dataset}\n\nNo runs yet.\n`;
  const kTests = [...new Set(outcomes.flatMap((o) => o.curve.map((m) => m.kTest)))].sort((a, b) => a - b);
  const lines = [`### ${dataset}`, ''];
  lines.push(
    `Top-1 on the held-out half (Wilson 95 % interval) by K_test; * marks the K_test picked on the selection half.`,
    '',
    table(
      ['K_test', ...outcomes.map((o) => `${o.engine} seed ${o.seed}`)],
      kTests.map((k) => [
        String(k),
        ...outcomes.map((o) => {
          const m = o.curve.find((x) => x.kTest === k);
          return m ? `${accuracyText(heldOut(m))}${best(o.curve).kTest === k ? ' *' : ''}` : '–';
        }),
      ]),
    ),
    '',
  );
  lines.push(
    'Summary per seed, every number on the held-out half; gains with McNemar’s exact test on the same images.',
    '',
    table(
      [
        'engine, seed',
        'K_train',
        'at K_train',
        'best untuned (K_test)',
        'gain: test larger',
        'fine-tuned (K_test tried → picked)',
        'gain: fine-tune over untuned there',
        'gain: total over K_train',
        'training time',
      ],
      outcomes.map((o) => {
        const atTrain = o.curve.find((m) => m.kTest === o.kTrain)!;
        const untuned = best(o.curve);
        const tuned = o.finetuned.length ? best(o.finetuned) : null;
        const untunedThere = tuned ? o.curve.find((m) => m.kTest === tuned.kTest) : undefined;
        const overall = tuned && on(tuned, 1).value > on(untuned, 1).value ? tuned : untuned;
        return [
          `${o.engine} ${o.seed}`,
          String(o.kTrain),
          accuracyText(heldOut(atTrain)),
          `${accuracyText(heldOut(untuned))} (${untuned.kTest})`,
          gainText(gain(atTrain, untuned)),
          tuned ? `${accuracyText(heldOut(tuned))} (${o.finetuned.map((m) => m.kTest).join(', ')} → ${tuned.kTest})` : '–',
          tuned && untunedThere ? gainText(gain(untunedThere, tuned)) : '–',
          gainText(gain(atTrain, overall)),
          o.trainSeconds === null ? '–' : `${Math.round(o.trainSeconds)} s`,
        ];
      }),
    ),
    '',
  );
  const expected = (o: Outcome) =>
    finetuneCandidates(
      o.curve.map((m) => m.kTest),
      best(o.curve).kTest,
      { count: 3 },
    ).join(', ');
  lines.push(
    `Fine-tune candidates follow the rule (untuned best → 1.4×): ${outcomes.map((o) => `${o.engine} ${o.seed}: ${expected(o)}`).join('; ')}.`,
    '',
  );
  const payoffs = outcomes.filter((o) => o.payoff);
  if (svgDir) {
    mkdirSync(svgDir, { recursive: true });
    const series: SvgSeries[] = outcomes.map((o, i) => ({
      label: `${o.engine} seed ${o.seed}`,
      color: PALETTE[(o.engine === 'lab' ? 0 : 4) + (i % 2)]!,
      dashed: o.engine === 'PyTorch',
      points: o.curve.map((m) => {
        const a = heldOut(m);
        return { x: m.kTest, y: a.top1, lo: a.ci95[0], hi: a.ci95[1] };
      }),
    }));
    const svg = lineChartSvg({
      title: `${dataset}: held-out top-1 by K_test, lab (solid) and PyTorch (dashed), 95 % intervals`,
      xLabel: 'K_test (pixels)',
      yLabel: 'top-1',
      series,
      markers: [{ x: outcomes[0]!.kTrain, label: `K_train ${outcomes[0]!.kTrain}` }],
      yFormat: (y) => `${(y * 100).toFixed(0)}%`,
    });
    writeFileSync(join(svgDir, `${dataset}-lab-vs-pytorch.svg`), svg.replace('<svg ', '<svg style="background:#fff" '));
    lines.push(`![${dataset}: lab and PyTorch](results/${dataset}-lab-vs-pytorch.svg)`, '');
  }
  if (payoffs.length) lines.push(...payoffSection(dataset, payoffs));
  return lines.join('\n');
}

const seconds = (t: number | null) => (t === null ? '–' : `${Math.round(t)} s`);
const megabytes = (mb: number | null) => (mb === null ? '–' : `${Math.round(mb)} MB`);

/** The four settings of the payoff experiment, each with its training cost (seconds, peak MB). */
function payoffPoints(o: Outcome) {
  const p = o.payoff!;
  const atSmall = o.curve.find((m) => m.kTest === o.kTrain)!;
  const large = p.large.find((m) => m.kTest === p.kLarge)!;
  const tunedSeconds = o.trainSeconds !== null && p.finetuneSeconds !== null ? o.trainSeconds + p.finetuneSeconds : null;
  // Training compute relative to the small run: the same images and epochs, pixels ∝ K².
  const largeCompute = (p.kLarge / o.kTrain) ** 2;
  return [
    { setting: `small, tested at K_train`, m: atSmall, seconds: o.trainSeconds, peakMb: o.trainPeakMb, compute: 1 },
    { setting: `small, tested at its best K_test`, m: best(o.curve), seconds: o.trainSeconds, peakMb: o.trainPeakMb, compute: 1 },
    { setting: `small, fine-tuned at K_large`, m: p.smallFinetuned, seconds: tunedSeconds, peakMb: o.trainPeakMb, compute: 1 },
    { setting: `large, tested at K_large`, m: large, seconds: p.largeSeconds, peakMb: p.largePeakMb, compute: largeCompute },
  ];
}

/** Train small vs train large: the table (held-out top-1, time, memory, the paired test) and its chart. */
function payoffSection(dataset: string, payoffs: Outcome[]): string[] {
  const lines = [
    'Train small vs train large (held-out top-1; the small model is picked and fine-tuned as in the table above; time is training, plus the fine-tune where there is one):',
    '',
    table(
      [
        'engine, seed',
        'small at K_train',
        'small at best K_test',
        'small fine-tuned at K_large',
        'large at K_large',
        'small+FT vs large',
        'time small (+FT)',
        'time large',
        'memory small / large',
      ],
      payoffs.map((o) => {
        const p = o.payoff!;
        const [atSmall, smallBest, tuned, large] = payoffPoints(o);
        return [
          `${o.engine} ${o.seed} (${o.kTrain} vs ${p.kLarge})`,
          accuracyText(heldOut(atSmall!.m!)),
          `${accuracyText(heldOut(smallBest!.m!))} (${smallBest!.m!.kTest})`,
          tuned!.m ? accuracyText(heldOut(tuned!.m)) : '–',
          accuracyText(heldOut(large!.m!)),
          tuned!.m ? gainText(gain(large!.m!, tuned!.m)) : '–',
          `${seconds(o.trainSeconds)} (${seconds(tuned!.seconds)})`,
          seconds(p.largeSeconds),
          `${megabytes(o.trainPeakMb)} / ${megabytes(p.largePeakMb)}`,
        ];
      }),
    ),
    '',
  ];
  if (!svgDir) return lines;
  mkdirSync(svgDir, { recursive: true });
  const settings = payoffPoints(payoffs[0]!).map((x) => x.setting);
  const series: SvgSeries[] = settings.flatMap((setting, i) =>
    (['lab', 'PyTorch'] as const).map((engine) => ({
      label: `${setting} (${engine})`,
      color: PALETTE[i]!,
      dashed: engine === 'PyTorch',
      line: false,
      points: payoffs
        .filter((o) => o.engine === engine)
        .map((o) => payoffPoints(o)[i]!)
        .filter((x) => x.m)
        .map((x) => {
          const a = heldOut(x.m!);
          // Settings of one run share its compute: spread them a little so their bars stay apart.
          return { x: x.compute + (i - 1) * 0.06 + (engine === 'PyTorch' ? 0.03 : 0), y: a.top1, lo: a.ci95[0], hi: a.ci95[1] };
        })
        .sort((a, b) => a.x - b.x),
    })),
  ).filter((s) => s.points.length);
  const svg = lineChartSvg({
    title: `${dataset}: train small vs large — held-out top-1 by training compute`,
    xLabel: 'training compute (images × K_train², the small run = 1; the fine-tune not counted)',
    yLabel: 'top-1',
    series,
    yFormat: (y) => `${(y * 100).toFixed(0)}%`,
    xFormat: (x) => x.toFixed(1),
  });
  writeFileSync(join(svgDir, `${dataset}-payoff.svg`), svg.replace('<svg ', '<svg style="background:#fff" '));
  lines.push(`![${dataset}: train small vs train large](results/${dataset}-payoff.svg)`, '');
  return lines;
}

const dbs = DIRS.map((dir) => join(dir, 'home', 'lab.sqlite'))
  .filter((file) => existsSync(file))
  .map((file) => new Database(file, { readonly: true, fileMustExist: true }) as Db);
// ONLY (as in bench/results-runs.sh) keeps the named datasets.
const only = process.env.ONLY?.split(/\s+/).filter(Boolean);
const datasets = ['shapes', 'fmnist', 'fmnist-rescaled'].filter((d) => !only?.length || only.includes(d));
process.stdout.write(datasets.map((d) => section(d, dbs)).join('\n'));
for (const db of dbs) db.close();
