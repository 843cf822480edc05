import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendReport } from '../../shared/jobs/doctor';
import type { EvalModelSource, ForwardEngine } from '../../shared/jobs/eval';
import { assertForwardFits, type ForwardSize } from './forward-memory';
import { exportOnnx } from '../onnx/export-onnx';
import { checkpointOnnx } from '../onnx/onnx-cache';
import { ortForwardPass } from '../onnx/ort-forward';
import { openOrtSession, ortThreads, probeOnnxRuntime, type OnnxRuntimeProbe } from '../onnx/ort-runtime';
import { chooseForwardEngine, requestedForwardEngine } from './forward-choice';
import { tfjsForwardPass, type ForwardPass } from './forward-pass';

export interface OpenForwardOptions {
  /** Also return pooled features. */
  features: boolean;
  /** Where the model came from: a checkpoint's ONNX export is cached next to its weights. */
  source: EvalModelSource | null;
  /** The engine process's tfjs backend. */
  backend: BackendReport;
  /** Overrides FIXRES_FORWARD. */
  requested?: ForwardEngine;
  /** ONNX Runtime intra-op threads (default ortThreads()). */
  threads?: number;
  /** The largest K and batch the job will run: refused before anything runs when they would not fit (assertForwardFits). */
  size?: ForwardSize;
}

const NOT_PROBED: OnnxRuntimeProbe = { available: false, version: null, providers: [], reason: 'not probed', action: null };

/**
 * The forward pass for a job's model: ONNX Runtime on the model's ONNX export when
 * chooseForwardEngine picks it, else tfjs. When ONNX Runtime was not asked for by name and the
 * model cannot be exported or loaded there, the job runs on tfjs and the report says why.
 */
export async function openForwardPass(model: tfl.LayersModel, o: OpenForwardOptions): Promise<ForwardPass> {
  const requested = o.requested ?? requestedForwardEngine();
  const ort = requested === 'tfjs' ? NOT_PROBED : await probeOnnxRuntime();
  const choice = chooseForwardEngine({ requested, backend: o.backend, ort });
  const fits = async (engine: ForwardEngine) => {
    const gpu =
      engine === 'onnxruntime' && Boolean(o.backend.device && !o.backend.device.software) && ort.providers.includes('cuda');
    if (o.size) await assertForwardFits(model, { engine, backend: o.backend.name, gpu }, o.size);
  };
  const tfjs = async (reason: string) => {
    await fits('tfjs');
    return tfjsForwardPass(model, { features: o.features, backend: o.backend.name, reason });
  };
  if (choice.engine === 'tfjs') return tfjs(choice.reason);
  await fits('onnxruntime');
  try {
    const onnx = o.source?.kind === 'checkpoint' ? await checkpointOnnx(o.source.dir, model) : exportOnnx(model).bytes;
    const session = await openOrtSession(onnx, { threads: o.threads ?? ortThreads() });
    return ortForwardPass(session, { features: o.features, reason: choice.reason });
  } catch (err) {
    if (requested === 'onnxruntime') throw err;
    return tfjs(`ONNX Runtime cannot run this model (${(err as Error).message.split('\n')[0]}), so tfjs does`);
  }
}
