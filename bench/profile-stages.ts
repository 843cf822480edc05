/**
 * `npm run bench:profile:stages`: the wasm training step of resnet-mini at each optimisation stage
 * (profile-setup.ts), each in its own process, interleaved over repeats; median step time and the
 * heaviest kernels per stage. Before/after for every optimisation in one run.
 *   npm run bench:profile:stages -- [--k 32] [--repeats 3] [--threads 1] [--out bench/results/profile-stages.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './peer-workload';
import { STAGES } from './profile-setup';

const { values } = parseArgs({
  options: {
    k: { type: 'string', default: '32' },
    repeats: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/results/profile-stages.json' },
  },
});
const here = dirname(new URL(import.meta.url).pathname);
const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
interface StageResult {
  wallMs: number;
  cpuMs: number;
  kernels: { name: string; cpuMs: number }[];
  outsideKernelsCpuMs: number;
}
const runs: StageResult[][] = STAGES.map(() => []);
process.stdout.write(
  `load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
for (let r = 0; r < Number(values.repeats); r++) {
  for (let s = 0; s < STAGES.length; s++) {
    const args = [
      join(here, 'profile-wasm-step.ts'),
      '--json',
      '--stage',
      String(s),
      '--k',
      values.k,
      '--threads',
      values.threads,
    ];
    const child = spawnSync(tsx, args, { encoding: 'utf8', maxBuffer: 8 << 20 });
    const line = child.stdout.trim().split('\n').at(-1);
    if (child.status === 0 && line?.startsWith('{')) runs[s]!.push(JSON.parse(line) as StageResult);
    else process.stderr.write(`stage ${s} failed:\n${child.stderr.split('\n').slice(-5).join('\n')}\n`);
  }
}
const summary = STAGES.map((stage, s) => {
  const rs = runs[s]!;
  const kernelMs = (name: string) => median(rs.map((r) => r.kernels.find((k) => k.name === name)?.cpuMs ?? 0));
  const top = [...new Set(rs.flatMap((r) => r.kernels.slice(0, 4).map((k) => k.name)))].map((name) => ({
    name,
    cpuMs: kernelMs(name),
  }));
  return {
    stage: stage.name,
    wallMs: median(rs.map((r) => r.wallMs)),
    cpuMs: median(rs.map((r) => r.cpuMs)),
    outsideKernelsCpuMs: median(rs.map((r) => r.outsideKernelsCpuMs)),
    top: top.sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 4),
  };
});
process.stdout.write(
  `\nwasm training step, resnet-mini K=${values.k}, batch 32, ${values.threads} thread(s); medians of ${values.repeats} runs\n`,
);
process.stdout.write(
  'stage                                                      wall ms  CPU ms  img/s (CPU)  heaviest kernels (CPU ms)\n',
);
for (const s of summary) {
  process.stdout.write(
    `${s.stage.padEnd(58)}${s.wallMs.toFixed(0).padStart(8)}${s.cpuMs.toFixed(0).padStart(8)}${((32000 / s.wallMs).toFixed(0) + ' (' + (32000 / s.cpuMs).toFixed(0) + ')').padStart(13)}  ` +
      `${s.top.map((t) => `${t.name} ${t.cpuMs.toFixed(0)}`).join(', ')}; outside kernels ${s.outsideKernelsCpuMs.toFixed(0)}\n`,
  );
}
process.stdout.write(
  `load average at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
