import { parseArgs } from 'node:util';
import type { Lab } from '../../lab';
import {
  WorkflowRequest,
  type Workflow,
  type WorkflowProgress,
  type WorkflowStep,
  type WorkflowStepOutputs,
  type WorkflowSummary,
} from '../../shared/api/workflows';
import { flagOfPath, hparamFlags, parseOptionsOf, readHParamFlags } from '../hparam-flags';
import { flagHelp, flagTokens, JSON_FLAG, wrapUsage } from '../hparam-usage';
import { openLab } from '../lab-context';
import { createProgressLine, printJson } from '../output';
import { CliFailure, usageFailure } from '../failure';
import { request } from '../request';
import { formatSeconds, pct } from '../run-follow';
import { accuracyText, gainText, percentText, pointsText, protocolText } from '../../shared/stats-text';
import { exportCommand, workflowExportUsage } from './export';
import { resolveDataset } from '../dataset-ref';
import type { BackendName } from '../../shared/backends';

const FLAGS = hparamFlags(WorkflowRequest);

export const workflowUsage = `${wrapUsage('fixres workflow --dataset <id|name|dir>', [...flagTokens(FLAGS), '[--json]'])}
                                       train small, test large in one go (Ctrl+C cancels; resumable); epochs default
                                       to ~2 500 steps; --payoff also trains at K_large (1.75 × K_train) and compares
  fixres workflow resume <id> [--backend NAME] [--json] | show <id> [--json] | list [--json]
  ${workflowExportUsage}`;
export const workflowHelp = flagHelp(FLAGS, [JSON_FLAG]);

const OPTIONS = { ...parseOptionsOf(FLAGS), dataset: { type: 'string' }, json: { type: 'boolean' } } as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function workflowCommand(args: string[]): Promise<number> {
  if (args[0] === 'export') return exportCommand('workflow', args.slice(1));
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [sub, idText] = positionals;
  const id = Number(idText);
  const json = Boolean(values.json);
  const valid = sub === undefined ? values.dataset !== undefined : sub === 'list' || (['resume', 'show'].includes(sub) && id > 0);
  if (!valid) throw usageFailure(workflowUsage);
  const lab = openLab();
  try {
    if (sub === 'list') return list(lab, json);
    if (sub === 'show') {
      const workflow = lab.workflows.get(id);
      if (json) printJson(workflow);
      else process.stdout.write(describe(workflow));
      return 0;
    }
    // --backend is one of the generated hyperparameter flags; the request's schema checks its value.
    const backend = (values as { backend?: string }).backend as BackendName | undefined;
    const workflow =
      sub === 'resume'
        ? await request(lab, 'workflows.resume', { id, ...(backend ? { backend } : {}) }, { backend: 'backend' })
        : await start(lab, values);
    process.stderr.write(
      `workflow #${workflow.id} "${workflow.name}" ${sub === 'resume' ? `resumed at ${workflow.currentStep}` : 'started'}\n`,
    );
    const done = sub === 'resume' ? workflow.steps.filter((s) => s.status === 'completed').map((s) => s.step) : [];
    return await follow(lab, workflow.id, json, done);
  } finally {
    lab.close();
  }
}

async function start(lab: Lab, v: Values): Promise<Workflow> {
  const body = { ...readHParamFlags(FLAGS, v), datasetId: await resolveDataset(lab, v.dataset as string) };
  return request(lab, 'workflows.start', body as WorkflowRequest, { ...flagOfPath(FLAGS), datasetId: 'dataset' });
}

/** Follows a workflow to its end: a progress line on a TTY, one line per finished step on stderr; Ctrl+C cancels. */
async function follow(lab: Lab, id: number, json: boolean, alreadyDone: string[]): Promise<number> {
  const progress = createProgressLine(`workflow #${id}`);
  const reported = new Set(alreadyDone);
  const off = lab.events.subscribe((event, payload) => {
    if (event === 'workflow.progress' && (payload as WorkflowProgress).workflowId === id) {
      const p = payload as WorkflowProgress;
      const bar = p.fraction === null ? '' : ` ${Math.round(p.fraction * 100)}%`;
      progress.update(`[${p.position + 1}/${p.steps} ${p.step}]${bar} ${p.detail}`);
    }
    if (event === 'workflow.updated' && (payload as Workflow).id === id) report((payload as Workflow).steps);
  });
  const report = (steps: Workflow['steps']) => {
    for (const step of steps) {
      if (step.status !== 'completed' || reported.has(step.step)) continue;
      reported.add(step.step);
      progress.done();
      process.stderr.write(`  ✓ ${step.step.padEnd(16)} ${formatSeconds(step.wallSeconds).padStart(10)}  ${stepNote(step)}\n`);
    }
  };
  report(lab.workflows.get(id).steps);
  const cancel = () => {
    process.stderr.write(
      `\ncancelling workflow #${id} (runs keep their checkpoints; resume with: fixres workflow resume ${id})…\n`,
    );
    lab.workflows.cancel(id);
  };
  process.once('SIGINT', cancel);
  let ended: Workflow;
  try {
    ended = await lab.workflows.settled(id);
  } finally {
    process.off('SIGINT', cancel);
    off();
    progress.done();
  }
  if (ended.status !== 'completed') {
    if (!json) process.stdout.write(describe(ended));
    const code = ended.status === 'cancelled' ? 'Cancelled' : ended.status === 'interrupted' ? 'Interrupted' : 'Internal';
    throw new CliFailure(
      `workflow #${id} ${ended.status}${ended.error ? `: ${ended.error}` : ''}; continue with: fixres workflow resume ${id}`,
      code,
      { workflow: ended },
    );
  }
  if (json) printJson(ended);
  else process.stdout.write(describe(ended));
  return 0;
}

/** One line on what a completed step found, read from its typed output. */
function stepNote(step: WorkflowStep): string {
  if (step.output === null) return '';
  switch (step.step) {
    case 'plan':
      return `K_train ${step.output.kTrain} (${step.output.source})`;
    case 'train':
    case 'finetune':
      return `run #${step.output.runId}, accuracy ${pct(step.output.lastAcc)}`;
    case 'train-large':
      if ('skipped' in step.output) return 'skipped';
      return `run #${step.output.runId}, accuracy ${pct(step.output.lastAcc)}`;
    case 'finetune-large':
      if ('skipped' in step.output) return 'skipped';
      return `run #${step.output.runId} at K_test ${step.output.kLarge}`;
    case 'analyze':
      return `α ${step.output.monteCarloAlpha.toFixed(3)} (Monte Carlo), K_test* ${kTestStarText(step.output)}`;
    case 'adapt':
      if ('skipped' in step.output) return 'skipped';
      return bestNote(step.output.best);
    case 'sweep':
    case 'sweep-finetuned':
      return bestNote(step.output.best);
    case 'sweep-large':
      if ('skipped' in step.output) return 'skipped';
      return bestNote(step.output.best);
    case 'summary': {
      const gain = step.output.gain;
      return `gain over testing at K_train ${gain === null ? '–' : `${(gain * 100).toFixed(1)} points`}`;
    }
  }
}

function bestNote(best: { kTest: number; top1: number } | null): string {
  return best ? `best top-1 ${pct(best.top1)} at K_test ${best.kTest}` : '';
}

/** K_test* as the analyze step stored it: unrounded → rounded with its multiple (workflows before that stored only the rounded value). */
function kTestStarText(o: WorkflowStepOutputs['analyze']): string {
  if (o.kTestStarExact === null || o.multiple === null) return String(o.kTestStar);
  return `${o.kTestStarExact.toFixed(1)} → ${o.kTestStar} (nearest multiple of ${o.multiple})`;
}

function list(lab: Lab, json: boolean): number {
  const workflows = lab.workflows.list();
  if (json) printJson(workflows);
  else if (!workflows.length) process.stdout.write('no workflows yet — start one with `fixres workflow --dataset <dir>`\n');
  else
    for (const w of workflows)
      process.stdout.write(`${String(w.id).padStart(4)}  ${w.status.padEnd(11)} ${(w.currentStep ?? '').padEnd(16)} ${w.name}\n`);
  return 0;
}

/** A workflow's steps and its summary, for humans. */
export function describe(w: Workflow): string {
  const lines = [`workflow #${w.id} "${w.name}": ${w.status}${w.error ? ` (${w.error})` : ''}`];
  for (const s of w.steps) {
    const cost = [s.peakRssMb ? `${Math.round(s.peakRssMb)} MB` : '', s.imgPerSec ? `${Math.round(s.imgPerSec)} img/s` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${s.step.padEnd(16)} ${s.status.padEnd(11)} ${formatSeconds(s.wallSeconds).padStart(10)}  ${cost.padEnd(22)} ${stepNote(s)}`,
    );
  }
  if (w.summary) lines.push('', ...summaryLines(w.summary));
  return `${lines.join('\n')}\n`;
}

function summaryLines(s: WorkflowSummary): string[] {
  type Score = WorkflowSummary['atKTrain'];
  const at = (x: Score) => (x ? `${x.reported ? accuracyText(x.reported) : percentText(x.top1)} at K_test ${x.kTest}` : '–');
  const g = s.gains;
  const lines = [
    `K_train ${s.kTrain}, K_test* (apparent sizes match) ${s.kTestStar ?? '–'}; total ${formatSeconds(s.totalSeconds)}`,
    ...(s.images ? [`  ${protocolText(s.images)}; top-1 with 95 % intervals`] : []),
    `  tested at K_train:          ${at(s.atKTrain)}`,
    `  best untuned test size:     ${at(s.bestTested)}${g ? `  ${gainText(g.testLarger)} over K_train` : ''}`,
    `  with Fréchet adaptation:    ${at(s.frechet)}${g?.frechet ? `  ${gainText(g.frechet)} over untuned there` : ''}`,
    `  fine-tuned (run #${s.finetuneRunId ?? '–'}):       ${at(s.finetuned)}${g?.finetune ? `  ${gainText(g.finetune)} over untuned there` : ''}`,
    ...(s.finetuneCandidates?.length
      ? [
          `    fine-tuned K_test tried:  ${s.finetuneCandidates.map((c) => `${c.kTest} (selection ${percentText(c.selection?.top1)})`).join(', ')}`,
        ]
      : []),
    `  best: ${at(s.best)} (${s.best?.series ?? '–'}), gain over testing at K_train: ${g?.total ? gainText(g.total) : pointsText(s.gain)}`,
  ];
  if (s.payoff) lines.push('', ...payoffLines(s.payoff));
  for (const w of s.warnings ?? []) lines.push(`  ! ${w}`);
  return lines;
}

function payoffLines(p: NonNullable<WorkflowSummary['payoff']>): string[] {
  const rows = p.rows.map(
    (r) =>
      `  ${r.label.padEnd(44)} ${accuracyText(r.reported).padEnd(22)} ${formatSeconds(r.trainSeconds).padStart(10)} ${r.peakRssMb ? `${Math.round(r.peakRssMb)} MB` : '–'}`,
  );
  return [
    `train small (${p.kSmall}) vs train large (${p.kLarge}): top-1 [95 %], training time, peak memory`,
    ...rows,
    `  small + fine-tune at ${p.kLarge} vs large at ${p.kLarge}: ${gainText(p.smallFinetunedVsLarge)}`,
    `  small at its best K_test vs large at ${p.kLarge}: ${gainText(p.smallTestedVsLarge)}`,
  ];
}
