import { deviceLabel, RUNG_NAMES, type BackendName, type RungName, type RungStatus } from '../../shared/backends';
import type { BackendReport } from '../../shared/jobs/doctor';
import { chooseForwardEngine, requestedForwardEngine } from '../eval/forward-choice';
import { actionOf, firstLine } from './rung-error';
import { CPU_PACKAGE, GPU_PACKAGE, tensorflowGpuPrerequisites, webgpuAdapter } from './rungs';
import type { SystemProbes } from './system-probes';
import type { OnnxRuntimeProbe } from '../onnx/ort-runtime';

export interface LadderState {
  /** The rung tfjs computes on now. */
  active: BackendReport;
  /** Every rung this process has started. */
  started: ReadonlyMap<BackendName, BackendReport>;
  probes: SystemProbes;
}

/** What a probe finds about a rung (the rest comes from the ladder). */
type Findings = Omit<RungStatus, 'name' | 'inUse' | 'forwardOnly'>;

/**
 * Every rung of the ladder as the doctor and the backend picker see it. Rungs this engine started
 * are reported as they loaded; rungs it skipped, with the reason it met. The others are probed
 * without touching tfjs's backend (a job may be running): Dawn is asked for its adapter, ONNX
 * Runtime is loaded, TensorFlow's packages are checked on disk (loading one would switch tfjs).
 */
export async function rungStatuses(state: LadderState): Promise<RungStatus[]> {
  const statuses: RungStatus[] = [];
  for (const name of RUNG_NAMES) {
    const found = await statusOf(name, state);
    statuses.push({ name, inUse: state.active.name === name, forwardOnly: name === 'onnxruntime', ...found });
  }
  return withGpuAlternative(statuses, state.active);
}

async function statusOf(name: RungName, { active, started, probes }: LadderState): Promise<Findings> {
  const report = name === 'onnxruntime' ? undefined : started.get(name);
  if (report) {
    const software = report.device?.software ?? false;
    const on = report.device ? ` on ${deviceLabel(report.device)}` : '';
    return {
      available: true,
      automatic: !software,
      device: report.device,
      reason: `loaded${on}${software ? '; used only when chosen' : ''}`,
      action: null,
    };
  }
  const skipped = active.skipped.find((s) => s.name === name);
  if (skipped && name !== 'webgpu') return unavailableStatus(skipped.reason, skipped.action);
  try {
    return await probe(name, { active, started, probes });
  } catch (err) {
    return unavailableStatus(firstLine(err), actionOf(err));
  }
}

async function probe(name: RungName, { active, started, probes }: LadderState): Promise<Findings> {
  const loadsWhenChosen = (reason: string, device: RungStatus['device'] = null): Findings => ({
    available: true,
    automatic: true,
    device,
    reason,
    action: null,
  });
  switch (name) {
    case 'tensorflow-gpu': {
      const gpu = tensorflowGpuPrerequisites(probes);
      return loadsWhenChosen('installed with the CUDA 11 libraries; not loaded in this engine', { name: gpu, software: false });
    }
    case 'webgpu': {
      const device = await webgpuAdapter({ probes });
      return {
        available: true,
        automatic: !device.software,
        device,
        reason: device.software ? `${deviceLabel(device)}: used only when chosen` : `adapter ${device.name}`,
        action: device.software ? 'choose webgpu by name (FIXRES_BACKEND=webgpu or the backend picker) to use it' : null,
      };
    }
    case 'tensorflow': {
      if (started.has('tensorflow-gpu')) {
        return unavailableStatus(
          `this engine loaded ${GPU_PACKAGE}; a process loads one TensorFlow`,
          'restart with FIXRES_BACKEND=tensorflow',
        );
      }
      const dir = probes.packageDir(CPU_PACKAGE);
      if (!dir)
        return unavailableStatus(`${CPU_PACKAGE} is not installed`, `npm install ${CPU_PACKAGE} (it downloads libtensorflow)`);
      const bindings = probes.listDir(`${dir}/lib`).filter((d) => d.startsWith('napi-v'));
      if (!bindings.some((d) => probes.listDir(`${dir}/lib/${d}`).includes('tfjs_binding.node'))) {
        return unavailableStatus(
          `${CPU_PACKAGE} has no native addon (its libtensorflow download failed)`,
          `reinstall ${CPU_PACKAGE} with internet access`,
        );
      }
      return loadsWhenChosen(`${CPU_PACKAGE} installed with its native addon; not loaded in this engine`);
    }
    case 'onnxruntime': {
      const ort = await probes.onnxRuntime();
      if (!ort.available) return unavailableStatus(ort.reason ?? 'onnxruntime-node does not load', ort.action);
      const cuda = ort.providers.includes('cuda');
      const on = cuda
        ? 'with its CUDA execution provider (a session falls back to the CPU when CUDA 12 or cuDNN 9 does not load)'
        : `on the CPU (${ort.reason})`;
      return {
        ...loadsWhenChosen(`onnxruntime-node ${ort.version} ${on}; ${forwardChoice(active, ort, probes)}`),
        action: ort.action,
      };
    }
    case 'wasm':
    case 'cpu':
      return loadsWhenChosen('loads when chosen; not started in this engine');
  }
}

/** What the forward choice makes of ONNX Runtime next to the active rung, as a sentence. */
function forwardChoice(active: BackendReport, ort: OnnxRuntimeProbe, probes: SystemProbes): string {
  try {
    const choice = chooseForwardEngine({ requested: requestedForwardEngine(probes.env('FIXRES_FORWARD')), backend: active, ort });
    const jobs = 'evaluation, sweeps, activation statistics and predictions';
    return choice.engine === 'onnxruntime' ? `runs ${jobs}: ${choice.reason}` : `not used, tfjs runs ${jobs}: ${choice.reason}`;
  } catch (err) {
    return firstLine(err);
  }
}

function unavailableStatus(reason: string, action: string | null): Findings {
  return { available: false, automatic: false, device: null, reason, action };
}

/**
 * A CUDA rung that cannot load says what trains instead: the GPU WebGPU will use ("WebGPU will use
 * …"), else the rung this engine trains on.
 */
function withGpuAlternative(statuses: RungStatus[], active: BackendReport): RungStatus[] {
  const webgpu = statuses.find((s) => s.name === 'webgpu');
  const instead =
    webgpu?.available && webgpu.automatic && webgpu.device
      ? `WebGPU will use ${deviceLabel(webgpu.device)}`
      : `no GPU rung loads, training runs on ${active.name}${active.device ? ` (${deviceLabel(active.device)})` : ''}`;
  return statuses.map((s) => (s.name === 'tensorflow-gpu' && !s.available ? { ...s, reason: `${s.reason}; ${instead}` } : s));
}
