import { parseArgs } from 'node:util';
import type { EngineStatus } from '../../shared/api/engine';
import { BACKEND_NAMES } from '../../shared/jobs/doctor';
import { openLab } from '../lab-context';
import { FlagError } from '../number-flags';
import { printJson } from '../output';

export const doctorUsage = `fixres doctor [--json] [--backend NAME]  which compute backend runs, and why the better ones do not`;

/** Starts a compute engine (as the app does) and prints what it runs on. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, backend: { type: 'string' } } });
  if (values.backend !== undefined) {
    if (!(BACKEND_NAMES as readonly string[]).includes(values.backend))
      throw new FlagError(`--backend must be one of ${BACKEND_NAMES.join(', ')}; got "${values.backend}"`);
    // The engine process inherits the environment: this is how a backend is forced for it.
    process.env.FIXRES_BACKEND = values.backend;
  }
  const lab = openLab();
  try {
    const status = await lab.engineStatus.get();
    if (values.json) printJson(status);
    else process.stdout.write(formatStatus(status));
    return 0;
  } finally {
    lab.close();
  }
}

/** The human-readable report. */
export function formatStatus({ backend, versions, platform }: EngineStatus): string {
  const details = [
    backend.gpu ? `GPU ${backend.gpu}` : null,
    `${backend.threads} thread${backend.threads === 1 ? '' : 's'}`,
    backend.simd === null ? null : backend.simd ? 'SIMD' : 'no SIMD',
    backend.forced ? 'forced' : null,
  ].filter(Boolean);
  const lines = [`backend   ${backend.name} (tfjs "${backend.tfBackend}"; ${details.join(', ')})`];
  backend.skipped.forEach((s, i) => lines.push(`${i === 0 ? 'skipped' : '       '}   ${s.name}: ${s.reason}`));
  backend.notes.forEach((n, i) => lines.push(`${i === 0 ? 'notes  ' : '       '}   ${n}`));
  if (backend.kernels.length) lines.push(`kernels   ${backend.kernels.length} FixRes kernels: ${backend.kernels.join(', ')}`);
  lines.push(
    `versions  tfjs ${versions.tfjs}, node ${versions.node}${versions.electron ? `, electron ${versions.electron}` : ''}`,
    `machine   ${platform.os} ${platform.release} ${platform.arch}, ${platform.cpuModel}, ${platform.cpuCores} cores, ${platform.memoryGb} GB`,
  );
  return `${lines.join('\n')}\n`;
}
