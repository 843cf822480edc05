import { parseArgs } from 'node:util';
import type { EngineStatus } from '../../shared/api/engine';
import { BACKEND_NAMES, deviceLabel, RUNG_TITLES, type RungStatus } from '../../shared/backends';
import { openLab } from '../lab-context';
import { FlagError } from '../number-flags';
import { printJson } from '../output';

export const doctorUsage = `fixres doctor [--json] [--backend NAME]  every compute backend: which runs, which load, why not, what to do`;

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
export function formatStatus({ backend, rungs, versions, platform }: EngineStatus): string {
  const details = [
    backend.device ? deviceLabel(backend.device) : null,
    `${backend.threads} thread${backend.threads === 1 ? '' : 's'}`,
    backend.simd === null ? null : backend.simd ? 'SIMD' : 'no SIMD',
    backend.forced ? 'forced' : null,
  ].filter(Boolean);
  const lines = [`backend   ${backend.name} (tfjs "${backend.tfBackend}"; ${details.join(', ')})`];
  const width = Math.max(...rungs.map((r) => r.name.length));
  rungs.forEach((r, i) => {
    lines.push(
      `${i === 0 ? 'rungs  ' : '       '}   ${r.name.padEnd(width)}  ${stateOf(r).padEnd(11)} ${RUNG_TITLES[r.name]}: ${r.reason}`,
    );
    if (r.action) lines.push(`${' '.repeat(10 + width + 2 + 12)}→ ${r.action}`);
  });
  backend.notes.forEach((n, i) => lines.push(`${i === 0 ? 'notes  ' : '       '}   ${n}`));
  if (backend.kernels.length) lines.push(`kernels   ${backend.kernels.length} FixRes kernels: ${backend.kernels.join(', ')}`);
  lines.push(
    `versions  tfjs ${versions.tfjs}, node ${versions.node}${versions.electron ? `, electron ${versions.electron}` : ''}`,
    `machine   ${platform.os} ${platform.release} ${platform.arch}, ${platform.cpuModel}, ${platform.cpuCores} cores, ${platform.memoryGb} GB`,
  );
  return `${lines.join('\n')}\n`;
}

function stateOf(r: RungStatus): string {
  if (r.inUse) return 'in use';
  if (!r.available) return 'unavailable';
  return r.automatic ? 'available' : 'if chosen';
}
