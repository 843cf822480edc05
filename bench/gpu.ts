/**
 * `npm run bench:gpu [-- --backend webgpu --width 1 --batch 32 --k 128,224,288 --seconds 20
 *                       --out bench/results/gpu.json --python /usr/bin/python3]`:
 * ResNet-50 training and evaluation images/s at K 128, 224 and 288 on a GPU rung — WebGPU on the
 * adapter Dawn finds, or --backend tensorflow-gpu — and PyTorch on CUDA when
 * torch.cuda.is_available(), so the numbers can be taken on a real GPU. Each case runs in its own
 * process (bench/engine-case.ts; bench/gpu-torch.py). A software adapter (SwiftShader: set
 * VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json to use it) is labelled "software, not
 * a GPU"; use a small --width and --batch there, it runs every shader on the CPU.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { EngineBenchRow } from './engine-case';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve('tsx');

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    width: { type: 'string', default: '1' },
    batch: { type: 'string', default: '32' },
    k: { type: 'string', default: '128,224,288' },
    seconds: { type: 'string', default: '20' },
    'case-timeout': { type: 'string', default: '3600' },
    out: { type: 'string', default: resolve(here, 'results/gpu.json') },
    python: { type: 'string', default: process.env.FIXRES_PYTHON ?? '/usr/bin/python3' },
  },
});
const ks = values.k.split(',').map(Number);

/** One row of the table: tfjs on a rung, or PyTorch on CUDA. */
interface GpuRow {
  engine: 'tfjs' | 'pytorch';
  backend: string;
  device: string;
  software: boolean;
  k: number;
  width: number;
  batch: number;
  train_img_s: number | null;
  eval_img_s: number | null;
  /** tfjs rows: images per CPU-second of the process (a software adapter's real cost on a shared machine). */
  train_img_cpu_s?: number | null;
  eval_img_cpu_s?: number | null;
  note?: string;
}

async function tfjsCase(k: number): Promise<GpuRow | { error: string }> {
  const args = [
    resolve(here, 'engine-case.ts'),
    values.backend,
    'resnet50',
    String(k),
    values.batch,
    values.seconds,
    values.width,
    // One batch per evaluation pass and the production (BN-folded) path only: a GPU bench, not a BN-folding one.
    '--eval-batches',
    '1',
    '--folded-only',
  ];
  let stdout: string;
  let stopped = false;
  try {
    ({ stdout } = await run(process.execPath, ['--import', tsx, ...args], {
      env: { ...process.env, FIXRES_BACKEND: values.backend },
      timeout: Number(values['case-timeout']) * 1000,
      killSignal: 'SIGKILL',
      maxBuffer: 1 << 20,
    }));
  } catch (err) {
    // A case stopped by --case-timeout has printed its evaluation row already.
    const e = err as { stdout?: string; killed?: boolean; message: string };
    stdout = e.stdout ?? '';
    stopped = Boolean(e.killed);
    if (!stdout.trim().split('\n').at(-1)?.startsWith('{')) return { error: e.message.split('\n')[0]! };
  }
  const row = JSON.parse(stdout.trim().split('\n').at(-1)!) as EngineBenchRow | { error: string };
  if ('error' in row) return row;
  const note = stopped
    ? `train: stopped after ${values['case-timeout']} s (--case-timeout)`
    : row.train_error
      ? `train: ${row.train_error}`
      : row.train_steps === 0
        ? 'train: one warm-up step'
        : null;
  return {
    engine: 'tfjs',
    backend: row.backend,
    device: row.device ?? 'no GPU',
    software: row.software ?? false,
    k,
    width: Number(values.width),
    batch: row.batch,
    train_img_s: stopped ? null : row.train_img_s,
    eval_img_s: row.eval_img_s,
    train_img_cpu_s: stopped ? null : (row.train_img_cpu_s ?? null),
    eval_img_cpu_s: row.eval_img_cpu_s ?? null,
    ...(note ? { note } : {}),
  };
}

async function torchRows(): Promise<GpuRow[] | { skip: string }> {
  const args = [
    resolve(here, 'gpu-torch.py'),
    '--k',
    values.k,
    '--batch',
    values.batch,
    '--seconds',
    values.seconds,
    '--width',
    values.width,
  ];
  try {
    const { stdout } = await run(values.python, args, { timeout: Number(values['case-timeout']) * 1000, maxBuffer: 1 << 20 });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as GpuRow | { skip: string });
    const skip = lines.find((l): l is { skip: string } => 'skip' in l);
    return skip ?? (lines as GpuRow[]);
  } catch (err) {
    return { skip: `${values.python} failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

const fmt = (v: number | null) => (v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2));
const rows: GpuRow[] = [];
console.log(
  `ResNet-50, width ${values.width}, batch ${values.batch}, ${values.seconds} s per measurement, ${new Date().toISOString()}`,
);
console.log(
  `${'engine'.padEnd(20)} ${'K'.padStart(4)} ${'train img/s'.padStart(12)} ${'eval img/s'.padStart(11)} ${'train /CPU-s'.padStart(13)} ${'eval /CPU-s'.padStart(12)}  device`,
);
const print = (r: GpuRow) =>
  console.log(
    `${`${r.engine} ${r.backend}`.padEnd(20)} ${String(r.k).padStart(4)} ${fmt(r.train_img_s).padStart(12)} ${fmt(r.eval_img_s).padStart(11)} ${fmt(r.train_img_cpu_s ?? null).padStart(13)} ${fmt(r.eval_img_cpu_s ?? null).padStart(12)}  ${r.device}${r.note ? `  (${r.note})` : ''}`,
  );
for (const k of ks) {
  const row = await tfjsCase(k);
  if ('error' in row) {
    console.log(`tfjs ${values.backend}: skipped: ${row.error}`);
    break;
  }
  rows.push(row);
  print(row);
}
const torch = await torchRows();
if ('skip' in torch) console.log(`pytorch cuda: skipped: ${torch.skip}`);
else {
  for (const row of torch) {
    rows.push(row);
    print(row);
  }
}
if (rows.some((r) => r.software)) console.log('Rows on a software adapter measure a CPU emulation of a GPU, not a GPU.');
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(rows, null, 2)}\n`);
console.log(`wrote ${rows.length} rows to ${values.out}`);
