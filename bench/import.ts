/**
 * `npm run bench:import [-- --arch resnet50 --repeats 3]`: how long importing a PyTorch ResNet
 * takes, by phase (read, sha256, parse, build + load the weights, write the lab checkpoint), for
 * a seeded torchvision model saved by PyTorch itself as safetensors, a .pth and a FixRes-style
 * checkpoint (Debian's python3-torch makes them once into bench/results/import-weights/). The
 * issue's target: a 100 MB ResNet-50 file in under 5 s. Prints wall seconds per phase and the
 * process's CPU seconds for the whole import (what an idle machine's wall time would be, near
 * enough), with the load average: the machine may be shared.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBackend } from '../src/engine/backend/select-backend';
import { saveModelCheckpoint } from '../src/engine/model-jobs/save-model';
import { createTorchvisionModel } from '../src/engine/models/torchvision-weights';
import { readWeights } from '../src/engine/weights/read-weights';
import type { ArchName } from '../src/shared/models/registry';
import { TORCH_FORMATS, torchWeightsFiles } from './torch-weights';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: 'resnet50' },
    repeats: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const arch = values.arch as ArchName;
const formats = TORCH_FORMATS;

async function timeImport(file: string): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const cpu = process.cpuUsage();
  let last = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    times[name] = (now - last) / 1000;
    last = now;
  };
  const bytes = await readFile(file);
  lap('read');
  createHash('sha256').update(bytes).digest('hex');
  lap('sha256');
  const read = readWeights(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
  lap('parse');
  const { model } = createTorchvisionModel(arch, read.weights);
  lap('build+load');
  const out = mkdtempSync(join(tmpdir(), 'fixres-bench-import-'));
  await saveModelCheckpoint(out, model, 'bench');
  lap('checkpoint');
  model.dispose();
  rmSync(out, { recursive: true, force: true });
  times.total = Object.values(times).reduce((a, b) => a + b, 0);
  const used = process.cpuUsage(cpu);
  times.cpu = (used.user + used.system) / 1e6;
  return times;
}

const files = torchWeightsFiles(arch);
await ensureBackend(values.backend as 'wasm' | 'cpu');
console.log(
  `${arch}, backend ${values.backend}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const format of formats) {
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < Number(values.repeats); i++) runs.push(await timeImport(files[format]));
  const median = (key: string) => runs.map((r) => r[key]!).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  const mb = statSync(files[format]).size / 2 ** 20;
  const phases = Object.keys(runs[0]!)
    .map((k) => `${k} ${median(k).toFixed(2)}`)
    .join('  ');
  console.log(`${format.padEnd(12)} ${mb.toFixed(0).padStart(4)} MB  median of ${runs.length} (wall s; cpu = CPU s): ${phases}`);
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
