/**
 * Where a wasm training step of resnet-mini spends its time, kernel by kernel.
 *   npm run bench:profile -- [--k 32] [--batch 32] [--threads 1] [--steps 6]
 * Prints the step's wall and CPU time, each kernel's CPU time (outermost calls), the kernels
 * inside our composite kernels, and the JS/engine overhead outside kernels.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { recordInnerKernels, stopRecordingInnerKernels } from '../src/engine/backend/kernels/kernel-scope';
import { selectBackend } from '../src/engine/backend/select-backend';
import { benchModel, makeTrainStep, measure, syntheticBatch } from './peer-workload';
import { timeKernels } from './profile-kernels';

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '32' },
    batch: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    steps: { type: 'string', default: '6' },
  },
});
const k = Number(values.k);
const batch = Number(values.batch);
const steps = Number(values.steps);
const report = await selectBackend({ force: 'wasm', wasmThreads: Number(values.threads) });
const model = benchModel();
const data = syntheticBatch(k, batch);
const step = makeTrainStep(model);
const plain = await measure(() => step(data), { warmup: 2, windows: 3, perWindow: Math.max(1, Math.floor(steps / 3)) });

const { table, undo } = timeKernels('wasm');
const inner = recordInnerKernels();
const profiled = await measure(() => step(data), { warmup: 0, windows: 1, perWindow: steps });
undo();
stopRecordingInnerKernels();

const kernelCpu = [...table.values()].reduce((s, t) => s + t.cpuMs, 0) / steps;
console.log(`wasm (${report.threads} thread${report.threads > 1 ? 's' : ''}), resnet-mini, K=${k}, batch ${batch}`);
console.log(
  `step: ${plain.wallMs.toFixed(1)} ms wall, ${plain.cpuMs.toFixed(1)} ms CPU → ${((1000 * batch) / plain.wallMs).toFixed(0)} img/s (${((1000 * batch) / plain.cpuMs).toFixed(0)} img/s of CPU time)`,
);
console.log(
  `kernels: ${kernelCpu.toFixed(1)} ms CPU per step; outside kernels (tape, engine, JS): ${(profiled.cpuMs - kernelCpu).toFixed(1)} ms\n`,
);
console.log('kernel                          calls/step   CPU ms/step   share');
for (const t of [...table.values()].sort((a, b) => b.cpuMs - a.cpuMs).filter((t) => t.cpuMs / steps >= 0.05)) {
  const ms = t.cpuMs / steps;
  console.log(
    `${t.name.padEnd(32)}${(t.calls / steps).toFixed(0).padStart(10)}${ms.toFixed(2).padStart(14)}${((100 * ms) / profiled.cpuMs).toFixed(1).padStart(7)}%`,
  );
}
console.log('\ninside our composite kernels (wall ms/step):');
for (const [name, t] of [...inner.entries()].sort((a, b) => b[1].ms - a[1].ms).filter(([, t]) => t.ms / steps >= 0.05)) {
  console.log(`  ${name.padEnd(46)}${(t.calls / steps).toFixed(0).padStart(6)}${(t.ms / steps).toFixed(2).padStart(10)}`);
}
console.log(`\nlive tensors after: ${tf.memory().numTensors}`);
process.exit(0);
