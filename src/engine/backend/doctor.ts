import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { DoctorReport } from '../../shared/jobs/doctor';
import { ensureBackend } from './select-backend';

/** The `doctor` job: this engine's backend (chosen now if it was not yet) with versions and machine. */
export async function runDoctor(): Promise<DoctorReport> {
  const backend = await ensureBackend();
  const cpus = os.cpus();
  return {
    backend,
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
