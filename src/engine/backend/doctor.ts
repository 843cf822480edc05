import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { DoctorReport } from '../../shared/jobs/doctor';
import { rungStatuses } from './rung-status';
import { trainableRungs } from '../../shared/backends';
import { activeBackend, envBackend, startedRungs } from './select-backend';
import { nodeSystemProbes, type SystemProbes } from './system-probes';

/**
 * The `doctor` job: the backend this engine computes on (the ladder's choice if no job has chosen
 * one yet), every rung's availability with its reason, and the versions and machine behind them.
 * It never switches tfjs's backend, so it may run beside a training job.
 */
export async function runDoctor(probes: SystemProbes = nodeSystemProbes): Promise<DoctorReport> {
  const backend = await activeBackend();
  const rungs = await rungStatuses({ active: backend, started: startedRungs(), probes });
  // What the ladder takes, read off the statuses: choosing it here could switch a running job's backend.
  const laddersChoice = trainableRungs(rungs).find((r) => r.automatic)?.name ?? backend.name;
  const cpus = os.cpus();
  return {
    backend,
    rungs,
    defaultBackend: envBackend() ?? laddersChoice,
    versions: {
      tfjs: tf.version_core,
      node: process.versions.node,
      v8: process.versions.v8,
      electron: process.versions.electron ?? null,
    },
    platform: {
      os: process.platform,
      release: os.release(),
      arch: process.arch,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cpuCores: os.availableParallelism(),
      memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
  };
}
