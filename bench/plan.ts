/**
 * `npm run bench:plan [-- --budgets 1,3,10 --keep]`: does the workflow planner's estimate hold?
 * Writes the app's "Try a sample" set (`fixres dataset synth --classes 10 --per-class 500 --size 48
 * --seed 0`) once, then for each budget (minutes) runs `fixres workflow --dataset … --budget-minutes
 * B --json` with default settings in a fresh temporary FIXRES_HOME (a new user: no training history,
 * so the plan probes) and prints, per step, the plan's estimate against the step's measured wall
 * time, the totals against the budget, and the held-out top-1 with its 95 % interval. A budget the
 * plan refuses prints the refusal. The machine may be shared: the load average is printed.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Workflow } from '../src/shared/api/workflows';

const { values } = parseArgs({
  options: { budgets: { type: 'string', default: '1,3,10' }, keep: { type: 'boolean', default: false } },
});
const budgets = values.budgets.split(',').map(Number);
if (budgets.some((b) => !(b > 0))) throw new Error(`--budgets takes minutes separated by commas, got "${values.budgets}"`);

const bin = join(import.meta.dirname, '..', 'bin', 'fixres.mjs');
const root = mkdtempSync(join(tmpdir(), 'fixres-bench-plan-'));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

function fixres(args: string[], home: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, FIXRES_HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

const fmt = (s: number) => `${s.toFixed(1)} s`.padStart(9);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

async function main(): Promise<void> {
  const sample = join(root, 'sample');
  const synthHome = join(root, 'home-synth');
  const synth = await fixres(
    ['dataset', 'synth', sample, '--classes', '10', '--per-class', '500', '--size', '48', '--seed', '0', '--json'],
    synthHome,
  );
  if (synth.code !== 0) throw new Error(`dataset synth failed: ${synth.stderr}`);
  console.log(`node ${process.version}, ${new Date().toISOString()}, sample in ${sample}`);
  for (const budget of budgets) {
    // A copy per budget and a fresh home: each workflow plans as a new user's first one would.
    const home = join(root, `home-${budget}`);
    const data = join(root, `sample-${budget}`);
    cpSync(sample, data, { recursive: true });
    const scan = await fixres(['dataset', 'scan', data, '--json'], home);
    if (scan.code !== 0) throw new Error(`dataset scan failed: ${scan.stderr}`);
    const loadBefore = load();
    const out = await fixres(['workflow', '--dataset', data, '--budget-minutes', String(budget), '--json'], home);
    console.log(`\n## budget ${budget} min (load average before: ${loadBefore}; after: ${load()})`);
    const parsed = JSON.parse(out.stdout || '{}') as Partial<Workflow> & { error?: { code: string; message: string } };
    if (parsed.error) {
      console.log(`refused (exit ${out.code}, ${parsed.error.code}, ${out.seconds.toFixed(1)} s): ${parsed.error.message}`);
      continue;
    }
    report(parsed as Workflow, budget, out.seconds);
  }
  if (values.keep) console.log(`\nkept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

function report(workflow: Workflow, budget: number, processSeconds: number): void {
  const plan = workflow.steps.find((s) => s.step === 'plan')?.output;
  const suggestion = plan && 'suggestion' in plan ? plan.suggestion : null;
  const estimated = (suggestion?.steps ?? {}) as Partial<Record<string, number>>;
  console.log(
    `plan: K_train ${plan?.kTrain}, ${plan?.epochs} epochs, fits ${suggestion?.fits}, cost a ${suggestion?.cost.a.toExponential(2)} b ${suggestion?.cost.b.toExponential(2)} job ${suggestion?.cost.jobSeconds?.toFixed(2)} s (${suggestion?.cost.source})`,
  );
  for (const [name, pass] of Object.entries(suggestion?.cost.passes ?? {})) {
    const extra =
      'pointSeconds' in pass
        ? ` decode ${pass.decodeSeconds.toExponential(2)} s/img, per K_test ${pass.pointSeconds.toFixed(3)} s`
        : '';
    console.log(
      `      ${name}: a ${pass.a.toExponential(2)} b ${pass.b.toExponential(2)} set-up ${pass.setupSeconds.toFixed(2)} s${extra}`,
    );
  }
  console.log(`${'step'.padEnd(16)} ${'estimate'.padStart(9)} ${'measured'.padStart(9)}  ratio`);
  let estimateTotal = 0;
  let measuredTotal = 0;
  for (const step of workflow.steps) {
    const e = estimated[step.step];
    estimateTotal += e ?? 0;
    measuredTotal += step.wallSeconds;
    const ratio = e ? (step.wallSeconds / e).toFixed(2) : '—';
    console.log(`${step.step.padEnd(16)} ${e === undefined ? '—'.padStart(9) : fmt(e)} ${fmt(step.wallSeconds)}  ${ratio}`);
  }
  const chosen = suggestion?.estimates.find((x) => x.k === plan?.kTrain)?.seconds ?? estimateTotal;
  console.log(`${'total (steps)'.padEnd(16)} ${fmt(chosen)} ${fmt(measuredTotal)}  ${(measuredTotal / chosen).toFixed(2)}`);
  console.log(
    `process wall ${processSeconds.toFixed(1)} s (CLI start, lab open, engine start included); budget ${budget * 60} s: ` +
      `steps use ${pct(measuredTotal / (budget * 60))} of it, the estimate is off by ${pct(measuredTotal / chosen - 1)}`,
  );
  const best = workflow.summary?.best?.reported;
  const atKTrain = workflow.summary?.atKTrain?.reported;
  const finetuned = workflow.summary?.finetuned?.reported;
  const acc = (a: typeof best) => (a ? `${pct(a.top1)} [${pct(a.ci95[0])}, ${pct(a.ci95[1])}] of ${a.n}` : '—');
  console.log(`held-out top-1: at K_train ${acc(atKTrain)}; best untuned K_test ${acc(best)}; fine-tuned ${acc(finetuned)}`);
}

await main();
