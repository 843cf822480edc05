import { deviceLabel, RUNG_TITLES, trainableRungs, type BackendName, type RungStatus } from '../../../shared/backends';

/** One entry of the backend picker. */
export interface BackendOption {
  value: BackendName;
  label: string;
}

/** How a rung is named in the picker: "webgpu · WebGPU (Dawn) · NVIDIA RTX A4000". */
export function rungLabel(rung: RungStatus): string {
  return [rung.name, RUNG_TITLES[rung.name], rung.device ? deviceLabel(rung.device) : null].filter(Boolean).join(' · ');
}

/** The rungs a run can be trained on here: those that load, best first (ONNX Runtime trains nothing). */
export function backendOptions(rungs: readonly RungStatus[]): BackendOption[] {
  return trainableRungs(rungs).map((r) => ({ value: r.name, label: rungLabel(r) }));
}

/** The rung "Automatic" stands for: the first that loads and that the ladder takes unasked. */
export function automaticRung(rungs: readonly RungStatus[]): RungStatus | null {
  return trainableRungs(rungs).find((r) => r.automatic) ?? null;
}

/** The picker's first entry: "Automatic (webgpu · WebGPU (Dawn) · NVIDIA RTX A4000)". */
export function automaticLabel(rungs: readonly RungStatus[] | null): string {
  const rung = rungs && automaticRung(rungs);
  return rung ? `Automatic (${rungLabel(rung)})` : 'Automatic (best that loads)';
}

/**
 * For a run that asked for `asked`: the rung to offer a retry on when `asked` cannot load here (an
 * environment failure), else null. The offer is the automatic rung, or the best that loads.
 */
export function retryBackend(rungs: readonly RungStatus[] | null, asked: BackendName | undefined): RungStatus | null {
  if (!rungs || !asked) return null;
  const loadable = trainableRungs(rungs);
  if (loadable.some((r) => r.name === asked)) return null;
  return automaticRung(rungs) ?? loadable[0] ?? null;
}

/** Why `asked` cannot load here, as the doctor reported it. */
export function unavailableReason(rungs: readonly RungStatus[] | null, asked: BackendName): string | null {
  const rung = rungs?.find((r) => r.name === asked);
  return rung && !rung.available ? rung.reason : null;
}
