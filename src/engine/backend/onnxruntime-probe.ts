import type { SystemProbes } from './system-probes';
import { firstLine, unavailable } from './rung-error';

export const ONNX_RUNTIME_PACKAGE = 'onnxruntime-node';

/** What the ONNX Runtime rung offers on this machine. */
export interface OnnxRuntimeInfo {
  version: string;
  /** Execution providers whose libraries ship in the package ("cpu", and "cuda" once its files are there). */
  providers: string[];
}

interface OrtModule {
  env?: { versions?: { node?: string; common?: string } };
  listSupportedBackends?: () => { name: string; bundled: boolean }[];
}

/**
 * Loads onnxruntime-node (its native binding loads on import) and reads its version and execution
 * providers. Loading it does not touch tfjs's backend, so the doctor can ask at any time. Throws
 * the reason (with what to do) when it cannot load.
 */
export async function probeOnnxRuntime(probes: SystemProbes): Promise<OnnxRuntimeInfo> {
  if (!probes.isInstalled(ONNX_RUNTIME_PACKAGE)) {
    throw unavailable(`${ONNX_RUNTIME_PACKAGE} is not installed`, `npm install ${ONNX_RUNTIME_PACKAGE}`);
  }
  let ort: OrtModule;
  try {
    ort = (await probes.load(ONNX_RUNTIME_PACKAGE)) as OrtModule;
  } catch (err) {
    throw unavailable(`${ONNX_RUNTIME_PACKAGE} failed to load: ${firstLine(err)}`, `reinstall ${ONNX_RUNTIME_PACKAGE} (npm ci)`);
  }
  const providers = (ort.listSupportedBackends?.() ?? []).filter((b) => b.bundled).map((b) => b.name);
  return { version: ort.env?.versions?.node ?? ort.env?.versions?.common ?? 'unknown', providers };
}
