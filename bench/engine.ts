/**
 * `npm run bench:engine [-- --backends wasm,cpu,onnxruntime --seconds 20 --wasm-threads default,all --ort-threads 1,default --webgpu-batch 32 --out file.json]`:
 * training and evaluation images/s of resnet-mini at K=32 and K=64 and resnet18 at K=64 (batch
 * 32, width 1), and evaluation of a PyTorch-made ResNet-50 imported as `fixres model import`
 * does, at K=224 and 288 (batch 8), on every backend that loads, each case in a fresh process (peak RSS per case);
 * wasm once per thread count (the app's default, which leaves a core to the data workers, and
 * all cores). webgpu runs resnet-mini only, on whatever adapter Dawn finds (FIXRES_BACKEND=webgpu
 * accepts a software one: set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json to
 * measure SwiftShader, with --webgpu-batch 4), BN-folded evaluation only, each row labelled with the adapter; a software adapter's rows are measured
 * once and marked "software, not a GPU". ONNX Runtime (forward passes only) gets evaluation rows
 * for resnet-mini K 32/64, resnet18 K 64/224 and resnet50 K 224/288, once per thread count.
 * Prints a table and writes the rows as JSON (default bench/results/engine.json).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { availableParallelism } from 'node:os';
import { BACKEND_LADDER, defaultWasmThreads } from '../src/engine/backend/select-backend';
import { ortThreads } from '../src/engine/onnx/ort-runtime';
import type { EngineBenchRow } from './engine-case';
import { torchWeightsFiles } from './torch-weights';

const here = dirname(fileURLToPath(import.meta.url));

const CASES: { model: string; k: number; imported?: true }[] = [
  { model: 'resnet-mini', k: 32 },
  { model: 'resnet-mini', k: 64 },
  { model: 'resnet18', k: 64 },
  { model: 'resnet50', k: 224, imported: true },
  { model: 'resnet50', k: 288, imported: true },
];
/** ONNX Runtime's evaluation rows (the sizes issue 14 names). */
const ORT_CASES: { model: string; k: number; imported?: true }[] = [
  { model: 'resnet-mini', k: 32 },
  { model: 'resnet-mini', k: 64 },
  { model: 'resnet18', k: 64 },
  { model: 'resnet18', k: 224 },
  { model: 'resnet50', k: 224 },
  { model: 'resnet50', k: 288 },
  { model: 'resnet50', k: 224, imported: true },
  { model: 'resnet50', k: 288, imported: true },
];
/** WebGPU gets the small cases: its software fallback (SwiftShader) compiles and runs every shader on the CPU. */
const casesFor = (backend: string) =>
  backend === 'onnxruntime' ? ORT_CASES : backend === 'webgpu' ? CASES.filter((c) => c.model === 'resnet-mini') : CASES;
const BATCH = 32;
/** Imported ResNet-50 rows evaluate smaller batches: their activations at 288 px are large. */
const IMPORTED_BATCH = 8;

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: resolve(here, 'results/engine.json') },
    backends: { type: 'string', default: [...BACKEND_LADDER, 'onnxruntime'].join(',') },
    /** ONNX Runtime intra-op thread counts: numbers or `default` (the engine's, ortThreads()). */
    'ort-threads': { type: 'string', default: '1,default' },
    seconds: { type: 'string', default: '20' },
    /** Processes per case; the table shows the median rates (the machine may be shared). */
    repeats: { type: 'string', default: '3' },
    /** A case still running after this many seconds is stopped; its evaluation numbers are kept. */
    'case-timeout': { type: 'string', default: '300' },
    /** webgpu's batch: 32 like the other rungs; 4 on SwiftShader, whose first pass at 32 takes minutes on a loaded machine. */
    'webgpu-batch': { type: 'string', default: String(BATCH) },
    /** XNNPACK thread counts for wasm: numbers, `default` (the app's) or `all` (every core). */
    'wasm-threads': { type: 'string', default: 'default,all' },
  },
});
const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve('tsx');

const wasmThreads = [
  ...new Set(
    values['wasm-threads']
      .split(',')
      .map((t) => (t === 'default' ? defaultWasmThreads() : t === 'all' ? availableParallelism() : Number(t))),
  ),
];

const ortThreadCounts = [...new Set(values['ort-threads'].split(',').map((t) => (t === 'default' ? ortThreads() : Number(t))))];

/** A backend at a thread count (only wasm's and ONNX Runtime's can be chosen). */
interface Setup {
  backend: string;
  threads?: number;
}

const setups: Setup[] = values.backends.split(',').flatMap((backend) => {
  if (backend === 'wasm') return wasmThreads.map((threads) => ({ backend, threads }));
  if (backend === 'onnxruntime') return ortThreadCounts.map((threads) => ({ backend, threads }));
  return [{ backend }];
});

async function runCase(
  { backend, threads }: Setup,
  model: string,
  k: number,
  imported = false,
): Promise<EngineBenchRow | { error: string }> {
  const batch = imported ? IMPORTED_BATCH : backend === 'webgpu' ? Number(values['webgpu-batch']) : BATCH;
  const args = ['--import', tsx, resolve(here, 'engine-case.ts'), backend, model, String(k), String(batch), values.seconds];
  if (imported) args.push('--weights', torchWeightsFiles(model).pth);
  // webgpu: one batch per pass and the production (BN-folded) path only, as bench:gpu does — each
  // extra path compiles its own shaders, which on SwiftShader takes minutes.
  if (backend === 'webgpu') args.push(String(1), '--eval-batches', '1', '--folded-only');
  const env =
    backend === 'onnxruntime'
      ? { ...process.env, FIXRES_BACKEND: 'cpu', FIXRES_ORT_THREADS: String(threads) }
      : { ...process.env, FIXRES_BACKEND: backend, ...(threads ? { FIXRES_WASM_THREADS: String(threads) } : {}) };
  try {
    const { stdout } = await run(process.execPath, args, {
      maxBuffer: 1 << 20,
      timeout: Number(values['case-timeout']) * 1000,
      killSignal: 'SIGKILL',
      env,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  } catch (err) {
    const e = err as { stdout?: string; killed?: boolean; message: string };
    const last = (e.stdout ?? '').trim().split('\n').at(-1);
    const stopped = `stopped after ${values['case-timeout']} s (--case-timeout)`;
    if (!last?.startsWith('{')) {
      if (!e.killed) return { error: e.message.split('\n')[0]! };
      return {
        backend,
        threads: threads ?? 0,
        model,
        k,
        batch,
        train_img_s: null,
        eval_img_s: null,
        peak_rss_mb: 0,
        train_steps: 0,
        eval_batches: 0,
        train_error: stopped,
      };
    }
    const row = JSON.parse(last) as EngineBenchRow | { error: string };
    if (e.killed && !('error' in row)) row.train_error = stopped;
    return row;
  }
}

const median = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)]! : null;
};

/** Runs a case `repeats` times (stopping at a failure) and keeps the median rates and the largest peak RSS. */
async function repeatCase(setup: Setup, model: string, k: number, imported = false): Promise<EngineBenchRow | { error: string }> {
  const runs: EngineBenchRow[] = [];
  for (let i = 0; i < Number(values.repeats); i++) {
    const row = await runCase(setup, model, k, imported);
    if ('error' in row) return runs.length ? runs[0]! : row;
    runs.push(row);
    if (row.train_error?.startsWith('stopped') || row.software) break;
  }
  return {
    ...runs[0]!,
    train_img_s: median(runs.map((r) => r.train_img_s)),
    eval_img_s: median(runs.map((r) => r.eval_img_s)),
    eval_layers_img_s: median(runs.map((r) => r.eval_layers_img_s ?? null)),
    peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
    repeats: runs.length,
  };
}

const fmt = (v: number | null) => (v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

const rows: EngineBenchRow[] = [];
console.log(
  `node ${process.version}, ${new Date().toISOString()}, ${values.seconds} s per measurement, batch ${BATCH} (webgpu ${values['webgpu-batch']}), median of ${values.repeats}`,
);
console.log(
  `${'backend'.padEnd(15)} ${'threads'.padStart(7)} ${'model'.padEnd(20)} ${'K'.padStart(4)} ${'train img/s'.padStart(12)} ${'eval img/s'.padStart(11)} ${'(unfolded)'.padStart(11)} ${'peak RSS MB'.padStart(12)}`,
);
for (const setup of setups) {
  for (const { model, k, imported } of casesFor(setup.backend)) {
    const row = await repeatCase(setup, model, k, imported);
    if ('error' in row) {
      console.log(`${setup.backend.padEnd(15)} skipped: ${row.error}`);
      break;
    }
    rows.push(row);
    const notes = [
      row.device ? `on ${row.device}` : null,
      row.train_error ? `train: ${row.train_error}` : row.train_steps === 0 ? 'train: one warm-up step' : null,
    ].filter(Boolean);
    const note = notes.length ? `  (${notes.join('; ')})` : '';
    console.log(
      `${row.backend.padEnd(15)} ${String(row.threads).padStart(7)} ${row.model.padEnd(20)} ${String(k).padStart(4)} ${fmt(row.train_img_s).padStart(12)} ${fmt(row.eval_img_s).padStart(11)} ${fmt(row.eval_layers_img_s ?? null).padStart(11)} ${String(row.peak_rss_mb).padStart(12)}${note}`,
    );
  }
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(rows, null, 2)}\n`);
console.log(`wrote ${rows.length} rows to ${values.out}`);
