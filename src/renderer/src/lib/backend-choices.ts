import {
  deviceLabel,
  isBackendName,
  RUNG_TITLES,
  trainableRungs,
  type BackendName,
  type RungStatus,
} from '../../../shared/backends';

/** A rung a run can train on. */
export type TrainableRung = RungStatus & { name: BackendName };

/** One entry of the backend picker. */
export interface BackendOption {
  value: BackendName;
  label: string;
}

/** A form's backend value as the picker holds it: a rung's name, or '' for Automatic. */
export function backendOf(value: unknown): '' | BackendName {
  return typeof value === 'string' && isBackendName(value) ? value : '';
}

/** How a rung is named in the picker: "webgpu · WebGPU (Dawn) · NVIDIA RTX A4000". */
export function rungLabel(rung: RungStatus): string {
  return [rung.name, RUNG_TITLES[rung.name], rung.device ? deviceLabel(rung.device) : null].filter(Boolean).join(' · ');
}

/** The rungs a run can be trained on here: those that load, best first (ONNX Runtime trains nothing). */
export function backendOptions(rungs: readonly RungStatus[]): BackendOption[] {
  return trainableRungs(rungs).map((r) => ({ value: r.name, label: rungLabel(r) }));
}

/** What the engine says about its rungs (EngineStatus, or the part of it these helpers read). */
export interface Ladder {
  rungs: readonly RungStatus[];
  /** The rung a run that names none gets (FIXRES_BACKEND, else the ladder's choice). */
  defaultBackend: BackendName;
}

/** The rung "Automatic" stands for: the engine's default, else the first that loads and that the ladder takes unasked. */
export function automaticRung(ladder: Ladder): TrainableRung | null {
  const loadable = trainableRungs(ladder.rungs);
  return loadable.find((r) => r.name === ladder.defaultBackend) ?? loadable.find((r) => r.automatic) ?? null;
}

/** The picker's first entry: "Automatic (webgpu · WebGPU (Dawn) · NVIDIA RTX A4000)". */
export function automaticLabel(ladder: Ladder | null): string {
  const rung = ladder && automaticRung(ladder);
  return rung ? `Automatic (${rungLabel(rung)})` : 'Automatic (best that loads)';
}

/**
 * For a run that asked for `asked`: the rung to offer a retry on when `asked` cannot load here (an
 * environment failure), else null. The offer is the automatic rung, or the best that loads.
 */
export function retryBackend(ladder: Ladder | null, asked: BackendName | undefined): TrainableRung | null {
  if (!ladder || !asked) return null;
  const loadable = trainableRungs(ladder.rungs);
  if (loadable.some((r) => r.name === asked)) return null;
  return automaticRung(ladder) ?? loadable[0] ?? null;
}

/** Why `asked` cannot load here, as the doctor reported it. */
export function unavailableReason(ladder: Ladder | null, asked: BackendName): string | null {
  const rung = ladder?.rungs.find((r) => r.name === asked);
  return rung && !rung.available ? rung.reason : null;
}
