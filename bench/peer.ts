/**
 * `npm run bench:peer`: the app's resnet-mini trained and evaluated by tfjs (every backend that
 * loads) and by PyTorch 1.13 CPU (Debian's python3-torch), same net, batch, resolutions and thread
 * counts, measured in one run with the engines interleaved, so their ratio is fair on a busy machine;
 * then evaluation on ONNX Runtime (the lab's models exported to ONNX) against PyTorch for resnet-mini
 * K 32/64, resnet18 K 64/224 and resnet50 K 224/288.
 *
 *   npm run bench:peer -- [--k 32,64] [--batch 32] [--threads 1,2] [--repeats 3] [--with-cpu]
 *                         [--only all|wasm|ort] [--ort-cases resnet18:224,…] [--ort-repeats 2]
 *                         [--out bench/results/peer.json] [--python /usr/bin/python3]
 *
 * Each measurement is a child process (its own peak RSS); each reports the median of timed windows
 * after warm-up; the table shows the median over repeats. Rows written to --out:
 * {engine, backend, threads, k, batch, train_img_s, eval_img_s, …cpu-time rates, peak_rss_mb}.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeSystemProbes } from '../src/engine/backend/system-probes';
import { formatPeerTable, summarise, type PeerRow } from './peer-report';

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '32,64' },
    batch: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1,2' },
    repeats: { type: 'string', default: '3' },
    'with-cpu': { type: 'boolean', default: false },
    only: { type: 'string', default: 'all' },
    'ort-cases': { type: 'string', default: 'resnet-mini:32,resnet-mini:64,resnet18:64,resnet18:224,resnet50:224,resnet50:288' },
    /** The large networks take minutes per measurement: fewer repeats than the resnet-mini ones by default. */
    'ort-repeats': { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/results/peer.json' },
    python: { type: 'string', default: process.env.FIXRES_PYTHON ?? '/usr/bin/python3' },
  },
});
const list = (s: string) => s.split(',').map(Number);
const ks = list(values.k);
const threads = list(values.threads);
const batch = Number(values.batch);
const repeats = Number(values.repeats);
const here = dirname(new URL(import.meta.url).pathname);

function child(command: string, args: string[]): PeerRow | null {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = r.stdout?.trim().split('\n').at(-1);
  if (r.status !== 0 || !line?.startsWith('{')) {
    process.stderr.write(`  failed: ${[command, ...args].join(' ')}\n${(r.stderr ?? '').split('\n').slice(-5).join('\n')}\n`);
    return null;
  }
  return JSON.parse(line) as PeerRow;
}

const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
/** The options every measurement child takes: threads, K, the batch, then timing-shape overrides. */
const measureArgs = (t: number, k: number, extra: string[] = []) => [
  '--threads',
  String(t),
  '--k',
  String(k),
  '--batch',
  String(batch),
  ...extra,
];
const tfjs = (backend: string, t: number, k: number, extra: string[] = []) =>
  child(tsx, [join(here, 'peer-tfjs.ts'), '--backend', backend, ...measureArgs(t, k, extra)]);
const torch = (t: number, k: number) => child(values.python, [join(here, 'peer-torch.py'), ...measureArgs(t, k)]);
/** Few, long windows for the ImageNet-sized networks (a resnet50 batch at K=288 takes seconds on one thread). */
const evalShape = (arch: string) => (arch === 'resnet-mini' ? [] : ['--warmup', '1', '--windows', '3', '--per-window', '1']);
const torchEval = (arch: string, t: number, k: number) =>
  arch === 'resnet-mini'
    ? torch(t, k)
    : child(values.python, [join(here, 'peer-torch.py'), '--arch', arch, ...measureArgs(t, k, evalShape(arch))]);
const ortEval = (arch: string, t: number, k: number) =>
  child(tsx, [join(here, 'peer-ort.ts'), '--arch', arch, ...measureArgs(t, k, evalShape(arch))]);

function torchAvailable(): string | null {
  try {
    return execFileSync(values.python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/** tfjs backends beyond wasm that load here (native TensorFlow when installed; the slow cpu backend on request). */
function extraBackends(): string[] {
  const found: string[] = [];
  if (['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].some((pkg) => nodeSystemProbes.isInstalled(pkg))) {
    if (tfjs('tensorflow', 1, 16, ['--warmup', '0', '--windows', '1', '--per-window', '1'])) found.push('tensorflow');
  } else {
    process.stdout.write('tfjs "tensorflow" backend: @tensorflow/tfjs-node(-gpu) is not installed, skipped\n');
  }
  if (values['with-cpu']) found.push('cpu');
  else process.stdout.write('tfjs "cpu" backend: skipped (about 1 img/s training; add --with-cpu)\n');
  return found;
}

const torchVersion = torchAvailable();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
process.stdout.write(
  `peer benchmark: resnet-mini, batch ${batch}, K ${ks.join('/')}, threads ${threads.join('/')}, ${repeats} repeats\n`,
);
process.stdout.write(
  `machine: ${os.cpus()[0]?.model.trim()}, ${os.availableParallelism()} cores; load average at start ${load()}\n`,
);
if (!torchVersion) {
  process.stdout.write(
    `PyTorch is not importable by ${values.python}: skipping the PyTorch rows (Debian: apt-get install -y python3-torch).\n`,
  );
}
const rows: PeerRow[] = [];
const others = values.only === 'ort' ? [] : extraBackends();
for (let r = 0; r < (values.only === 'ort' ? 0 : repeats); r++) {
  for (const k of ks) {
    for (const t of threads) {
      // Alternate which engine goes first, so a load change between the two biases neither.
      const pair = [() => (torchVersion ? torch(t, k) : null), () => tfjs('wasm', t, k)];
      for (const run of r % 2 ? pair.reverse() : pair) {
        const row = run();
        if (row) rows.push({ ...row, repeat: r });
      }
    }
    for (const backend of others) {
      if (backend === 'cpu' && (k > 32 || r > 0)) continue; // ~1 img/s: one K=32 sample is all it can afford
      const row = tfjs(backend, 1, k, backend === 'cpu' ? ['--warmup', '1', '--windows', '1', '--per-window', '2'] : []);
      if (row) rows.push({ ...row, repeat: r });
    }
  }
  process.stdout.write(`repeat ${r + 1}/${repeats} done (load ${load()})\n`);
}
const ortCases = values['ort-cases'].split(',').map((c) => {
  const [arch, k] = c.split(':');
  return { arch: arch!, k: Number(k) };
});
for (let r = 0; r < (values.only === 'wasm' ? 0 : Number(values['ort-repeats'])); r++) {
  for (const { arch, k } of ortCases) {
    for (const t of threads) {
      const pair = [() => (torchVersion ? torchEval(arch, t, k) : null), () => ortEval(arch, t, k)];
      for (const run of r % 2 ? pair.reverse() : pair) {
        const row = run();
        if (row) rows.push({ arch, ...row, repeat: r });
      }
    }
  }
  process.stdout.write(`ONNX Runtime repeat ${r + 1}/${values['ort-repeats']} done (load ${load()})\n`);
}
const summary = summarise(rows);
process.stdout.write(`\n${formatPeerTable(summary)}\nload average at end ${load()}\n`);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`wrote ${summary.length} rows to ${values.out}\n`);
