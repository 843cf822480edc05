/**
 * Where a wasm training step of resnet-mini spends its time, kernel by kernel.
 *   npm run bench:profile -- [--k 32] [--batch 32] [--threads 1] [--steps 6] [--stage 0…5] [--json]
 * --stage picks an optimisation stage (profile-setup.ts; default: the last, i.e. the app's setup).
 * Prints the step's wall and CPU time, each kernel's CPU time (outermost calls), the kernels
 * inside our composite kernels, and the JS/engine overhead outside kernels.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { recordInnerKernels, stopRecordingInnerKernels } from '../src/engine/backend/kernels/kernel-scope';
import { benchModel, makeTrainStep, measure, syntheticBatch } from './peer-workload';
import { timeKernels } from './profile-kernels';
import { setUpStage, STAGES } from './profile-setup';

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '32' },
    batch: { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
    steps: { type: 'string', default: '6' },
    stage: { type: 'string', default: String(STAGES.length - 1) },
    json: { type: 'boolean', default: false },
  },
});
const k = Number(values.k);
const batch = Number(values.batch);
const steps = Number(values.steps);
const stage = STAGES[Number(values.stage)]!;
const { threads } = await setUpStage(stage, Number(values.threads));
const model = benchModel();
const data = syntheticBatch(k, batch);
const step = makeTrainStep(model);
const plain = await measure(() => step(data), { warmup: 2, windows: 3, perWindow: Math.max(1, Math.floor(steps / 3)) });

const { table, undo } = timeKernels('wasm');
const inner = recordInnerKernels();
const profiled = await measure(() => step(data), { warmup: 0, windows: 1, perWindow: steps });
undo();
stopRecordingInnerKernels();

const kernels = [...table.values()]
  .map((t) => ({ name: t.name, calls: t.calls / steps, cpuMs: t.cpuMs / steps }))
  .sort((a, b) => b.cpuMs - a.cpuMs);
const kernelCpu = kernels.reduce((s, t) => s + t.cpuMs, 0);
const result = {
  stage: stage.name,
  threads,
  k,
  batch,
  wallMs: plain.wallMs,
  cpuMs: plain.cpuMs,
  trainImgS: (1000 * batch) / plain.wallMs,
  trainCpuImgS: (1000 * batch) / plain.cpuMs,
  kernelCpuMs: kernelCpu,
  outsideKernelsCpuMs: profiled.cpuMs - kernelCpu,
  kernels: kernels.filter((t) => t.cpuMs >= 0.05),
  inner: [...inner.entries()]
    .map(([name, t]) => ({ name, calls: t.calls / steps, wallMs: t.ms / steps }))
    .sort((a, b) => b.wallMs - a.wallMs),
  liveTensors: tf.memory().numTensors,
};
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const out = [
    `wasm (${threads} thread${threads > 1 ? 's' : ''}), resnet-mini, K=${k}, batch ${batch}, stage: ${stage.name}`,
    `step: ${result.wallMs.toFixed(1)} ms wall, ${result.cpuMs.toFixed(1)} ms CPU → ${result.trainImgS.toFixed(0)} img/s (${result.trainCpuImgS.toFixed(0)} img/s of CPU time)`,
    `kernels: ${kernelCpu.toFixed(1)} ms CPU per step; outside kernels (tape, engine, JS): ${result.outsideKernelsCpuMs.toFixed(1)} ms`,
    '',
    'kernel                          calls/step   CPU ms/step   share',
    ...result.kernels.map(
      (t) =>
        `${t.name.padEnd(32)}${t.calls.toFixed(0).padStart(10)}${t.cpuMs.toFixed(2).padStart(14)}${((100 * t.cpuMs) / profiled.cpuMs).toFixed(1).padStart(7)}%`,
    ),
    '',
    'inside our composite kernels (wall ms/step):',
    ...result.inner
      .filter((t) => t.wallMs >= 0.05)
      .map((t) => `  ${t.name.padEnd(46)}${t.calls.toFixed(0).padStart(6)}${t.wallMs.toFixed(2).padStart(10)}`),
    '',
    `live tensors after: ${result.liveTensors}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
process.exit(0);
