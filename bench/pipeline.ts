/**
 * `npm run bench:pipeline`: is the data pipeline ever the bottleneck? The real train job on wasm
 * (resnet-mini, batch 32) fed (a) by the data pipeline over ~500×375 JPEGs — RandomResizedCrop +
 * flip, the app's default sample workers and prefetch, decode cache off (what the app sends
 * today) and on, and without carrying prefetch across epochs (`-nocarry`, the pipeline before) —
 * and (b) by batches of the same shape made in memory beforehand. Every case is
 * its own process; the modes rotate order each repeat so load changes hit all of them; the table
 * shows medians and the ratio to (b).
 *
 *   npm run bench:pipeline -- [--k 32,64] [--modes tensors,decode,cache,decode-nocarry] [--repeats 3] [--epochs 3]
 *                             [--images 320] [--workers N] [--prefetch N] [--out bench/results/pipeline.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '32,64' },
    modes: { type: 'string', default: 'tensors,decode,cache,decode-nocarry' },
    repeats: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '3' },
    images: { type: 'string', default: '320' },
    workers: { type: 'string' },
    prefetch: { type: 'string' },
    out: { type: 'string', default: 'bench/results/pipeline.json' },
  },
});
const here = dirname(new URL(import.meta.url).pathname);
const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
const ks = values.k.split(',').map(Number);
const modes = values.modes.split(',');

interface Row {
  mode: string;
  k: number;
  train_img_s: number;
  wait_ms_per_batch: number;
  process_cpu_per_wall: number;
  main_cpu_per_wall: number;
  load_1min: number;
  [key: string]: unknown;
}

function runCase(mode: string, k: number): Row | null {
  const extra = (['workers', 'prefetch'] as const).flatMap((o) => (values[o] === undefined ? [] : [`--${o}`, values[o]!]));
  const args = [
    join(here, 'pipeline-case.ts'),
    '--mode',
    mode,
    '--k',
    String(k),
    '--epochs',
    values.epochs,
    '--images',
    values.images,
    ...extra,
  ];
  const r = spawnSync(tsx, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = r.stdout?.trim().split('\n').at(-1);
  if (r.status !== 0 || !line?.startsWith('{')) {
    process.stderr.write(`  failed: ${mode} K=${k}\n${(r.stderr ?? '').split('\n').slice(-8).join('\n')}\n`);
    return null;
  }
  return JSON.parse(line) as Row;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const rows: Row[] = [];
for (let r = 0; r < Number(values.repeats); r++) {
  for (const k of ks) {
    const order = modes.map((_, i) => modes[(i + r) % modes.length]!);
    for (const mode of order) {
      const row = runCase(mode, k);
      if (!row) continue;
      rows.push({ ...row, repeat: r });
      process.stderr.write(
        `repeat ${r + 1} K=${k} ${mode.padEnd(7)} ${row.train_img_s.toFixed(1)} img/s, wait ${row.wait_ms_per_batch.toFixed(1)} ms/batch, ` +
          `CPU/wall process ${row.process_cpu_per_wall.toFixed(2)} main ${row.main_cpu_per_wall.toFixed(2)}, load ${row.load_1min.toFixed(1)}\n`,
      );
    }
  }
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(rows, null, 2)}\n`);

const lines = [
  '| K | feed | train img/s | vs tensors | wait ms/batch (epoch start / later) | img per main-thread CPU s | vs tensors | process CPU/wall | load (1 min) |',
  '| - | ---- | ----------- | ---------- | ----------------------------------- | ------------------------- | ---------- | ---------------- | ------------ |',
];
for (const k of ks) {
  const of = (mode: string) => rows.filter((row) => row.k === k && row.mode === mode);
  const reference = median(of('tensors').map((row) => row.train_img_s));
  const referenceCpu = median(of('tensors').map((row) => row.train_img_s / row.main_cpu_per_wall));
  for (const mode of modes) {
    const m = of(mode);
    if (!m.length) continue;
    const img = median(m.map((row) => row.train_img_s));
    const perMainCpu = median(m.map((row) => row.train_img_s / row.main_cpu_per_wall));
    const loads = m.map((row) => row.load_1min);
    lines.push(
      `| ${k} | ${mode} | ${img.toFixed(1)} | ${Number.isFinite(reference) ? (img / reference).toFixed(3) : '–'} | ` +
        `${median(m.map((row) => row.wait_ms_per_batch)).toFixed(1)} (${median(m.map((row) => row.first_wait_ms as number)).toFixed(0)} / ` +
        `${median(m.map((row) => row.later_wait_ms as number)).toFixed(1)}) | ${perMainCpu.toFixed(0)} | ${(perMainCpu / referenceCpu).toFixed(3)} | ` +
        `${median(m.map((row) => row.process_cpu_per_wall)).toFixed(2)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
