/**
 * `npm run bench:sweep-split`: does a second engine process help a K_test sweep on this machine?
 * The real sweep job (resnet-mini checkpoint, ~500×375 JPEGs, the default K_test grid of
 * K_train = 32: 16…64 step 4) run three ways, rotating order each repeat:
 *   one-1t  one engine process, wasm 1 thread (today's compute engine on 2 cores)
 *   two-1t  two engine processes at once, 1 thread each, the K_tests split by cost (Σ K²)
 *   one-2t  one engine process, wasm 2 threads
 *   one-1t-2w  one engine process, 1 thread, two sample workers instead of the default one (opt-in)
 *   one-1t-once  one-1t decoding each image once per sweep (copies spilled to a folder), as the product's sweeps do (opt-in)
 * Wall time counts from spawning the processes to the last exit (process start-up included) and
 * for the jobs alone; CPU is the sum over processes.
 *
 *   npm run bench:sweep-split -- [--repeats 3] [--images 320] [--k-train 32] [--out bench/results/sweep-split.json]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { sweepPlan } from '../src/core/sweep-plan';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    images: { type: 'string', default: '320' },
    'k-train': { type: 'string', default: '32' },
    configs: { type: 'string', default: 'one-1t,two-1t,one-2t' },
    dir: { type: 'string', default: join(tmpdir(), 'fixres-bench-pipeline') },
    out: { type: 'string', default: 'bench/results/sweep-split.json' },
  },
});
const here = dirname(new URL(import.meta.url).pathname);
const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
const caseScript = join(here, 'sweep-case.ts');
const { kTests } = sweepPlan({ kTrain: Number(values['k-train']) });

interface CaseRow {
  job_s: number;
  startup_s: number;
  cpu_s: number;
  main_cpu_s?: number;
  process_cpu_s: number;
  peak_rss_mb: number;
  decoding: string;
}

/** Splits the K_tests into two lists of about equal cost (a forward pass costs ∝ K²), largest first. */
function splitByCost(ks: number[]): [number[], number[]] {
  const groups: [number[], number[]] = [[], []];
  const cost = [0, 0];
  for (const k of [...ks].sort((a, b) => b - a)) {
    const g = cost[0]! <= cost[1]! ? 0 : 1;
    groups[g].push(k);
    cost[g]! += k * k;
  }
  return [groups[0].sort((a, b) => a - b), groups[1].sort((a, b) => a - b)];
}

function runCase(ckpt: string, ks: number[], threads: number, workers?: number, decodeDir?: string): Promise<CaseRow> {
  const args = [
    caseScript,
    '--ckpt',
    ckpt,
    '--dir',
    values.dir,
    '--images',
    values.images,
    '--k-tests',
    ks.join(','),
    '--threads',
    String(threads),
    ...(workers === undefined ? [] : ['--workers', String(workers)]),
    ...(decodeDir === undefined ? [] : ['--decode-once', decodeDir]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1);
      if (code === 0 && line?.startsWith('{')) resolve(JSON.parse(line) as CaseRow);
      else reject(new Error(`sweep case failed (${code}): ${err.split('\n').slice(-6).join('\n')}`));
    });
  });
}

const plans: Record<string, { lists: number[][]; threads: number; workers?: number; decodeOnce?: boolean }> = {
  'one-1t': { lists: [kTests], threads: 1 },
  'two-1t': { lists: splitByCost(kTests), threads: 1 },
  'one-2t': { lists: [kTests], threads: 2 },
  'one-1t-2w': { lists: [kTests], threads: 1, workers: 2 },
  'one-1t-once': { lists: [kTests], threads: 1, decodeOnce: true },
};
const configs = values.configs.split(',');
const work = mkdtempSync(join(tmpdir(), 'fixres-sweep-split-'));
const ckpt = join(work, 'ckpt');
const decodeDir = join(work, 'decoded');
const made = spawnSync(tsx, [caseScript, '--make-ckpt', ckpt], { encoding: 'utf8' });
if (made.status !== 0) throw new Error(`could not make the checkpoint: ${made.stderr}`);

const rows: Record<string, unknown>[] = [];
try {
  for (let r = 0; r < Number(values.repeats); r++) {
    for (const config of configs.map((_, i) => configs[(i + r) % configs.length]!)) {
      const plan = plans[config]!;
      const load = os.loadavg()[0]!;
      const t0 = performance.now();
      const cases = await Promise.all(
        plan.lists.map((ks) => runCase(ckpt, ks, plan.threads, plan.workers, plan.decodeOnce ? decodeDir : undefined)),
      );
      if (plan.decodeOnce && (cases.some((c) => c.decoding !== 'once') || readdirSync(decodeDir).length))
        throw new Error(`${config} did not decode once, or left its decoded copies behind`);
      const row = {
        config,
        repeat: r,
        k_tests: plan.lists,
        wall_s: (performance.now() - t0) / 1000,
        job_wall_s: Math.max(...cases.map((c) => c.job_s)),
        job_cpu_s: cases.reduce((a, c) => a + c.cpu_s, 0),
        job_main_cpu_s: cases.reduce((a, c) => a + (c.main_cpu_s ?? NaN), 0),
        process_cpu_s: cases.reduce((a, c) => a + c.process_cpu_s, 0),
        peak_rss_mb: cases.reduce((a, c) => a + c.peak_rss_mb, 0),
        load_1min: load,
      };
      rows.push(row);
      process.stderr.write(
        `repeat ${r + 1} ${config}: wall ${row.wall_s.toFixed(1)} s (jobs ${row.job_wall_s.toFixed(1)} s), ` +
          `CPU ${row.process_cpu_s.toFixed(1)} s (jobs ${row.job_cpu_s.toFixed(1)} s), load ${load.toFixed(1)}\n`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(rows, null, 2)}\n`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const col = (config: string, key: string) => rows.filter((row) => row.config === config).map((row) => row[key] as number);
const base = median(col('one-1t', 'job_wall_s'));
process.stdout.write(
  `K_tests ${kTests.join(', ')}; ${values.images} images\n` +
    '| engines | wall s (with start-up) | job wall s | vs one-1t | CPU s (processes) | CPU s (jobs) | peak RSS MB (sum) | load (1 min) |\n' +
    '| ------- | ---------------------- | ---------- | --------- | ----------------- | ------------ | ----------------- | ------------ |\n' +
    configs
      .map((c) => {
        const loads = col(c, 'load_1min');
        const job = median(col(c, 'job_wall_s'));
        return (
          `| ${c} | ${median(col(c, 'wall_s')).toFixed(1)} | ${job.toFixed(1)} | ${(job / base).toFixed(2)} | ` +
          `${median(col(c, 'process_cpu_s')).toFixed(1)} | ${median(col(c, 'job_cpu_s')).toFixed(1)} | ` +
          `${median(col(c, 'peak_rss_mb')).toFixed(0)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`
        );
      })
      .join('\n') +
    '\n',
);
process.exit(0);
