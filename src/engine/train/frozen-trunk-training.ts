import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendReport } from '../../shared/jobs/doctor';
import type { ForwardReport } from '../../shared/jobs/eval';
import type { TrainableMode } from '../../shared/models/trainable';
import { chooseForwardEngine, requestedForwardEngine } from '../eval/forward-choice';
import type { ForwardBatch, ForwardPass } from '../eval/forward-pass';
import { assertForwardFits, type ForwardSize } from '../eval/forward-memory';
import { buildHeadModel, copyHeadWeights, frozenTrunkCut, headRoots } from '../models/frozen-trunk';
import { selectTrainable } from '../models/layer-selection';
import { exportOnnx } from '../onnx/export-onnx';
import { imageFeed } from '../onnx/ort-forward';
import { openOrtSession, ortThreads, probeOnnxRuntime, type OrtSession } from '../onnx/ort-runtime';

/** A head-only fine-tune split in two: the frozen trunk on ONNX Runtime, the head trained in tfjs. */
export interface FrozenTrunkTraining {
  /** The trainable head (copies of the model's head layers); train its weights. */
  readonly head: tfl.LayersModel;
  /** The model layers whose outputs the trunk returns. */
  readonly cut: readonly string[];
  readonly report: ForwardReport;
  /** The head's inputs for a batch (NHWC), computed by the trunk; the caller disposes them. */
  trunk(batch: ForwardBatch): Promise<tf.Tensor[]>;
  /** Trunk, then the head in inference mode: for validation passes. */
  forwardPass(): ForwardPass;
  /** Writes the head's current weights (BN statistics too) into the full model, e.g. before a checkpoint. */
  syncInto(model: tfl.LayersModel): void;
  dispose(): Promise<void>;
}

/**
 * Splits `model` (trainable flags already set for `mode`) for a head-only fine-tune when the
 * forward engine rule picks ONNX Runtime: everything before the trainable part is frozen, so it
 * runs as an ONNX graph cut at the head's inputs. Returns null (train all in tfjs) for other
 * modes, when tfjs is the faster engine, or, unless FIXRES_FORWARD=onnxruntime, when the trunk
 * cannot be exported.
 */
export async function openFrozenTrunkTraining(
  model: tfl.LayersModel,
  o: { mode: TrainableMode; backend: BackendReport; size: ForwardSize },
): Promise<FrozenTrunkTraining | null> {
  const roots = headRoots(model, o.mode);
  if (!roots) return null;
  const requested = requestedForwardEngine();
  if (requested === 'tfjs') return null;
  const ort = await probeOnnxRuntime();
  const choice = chooseForwardEngine({ requested, backend: o.backend, ort });
  if (choice.engine !== 'onnxruntime') return null;
  const cut = frozenTrunkCut(model, roots);
  if (!cut.length) return null;
  // The trunk is most of the model: the whole model's footprint errs high, as the estimate should.
  const gpu = Boolean(o.backend.device && !o.backend.device.software) && ort.providers.includes('cuda');
  await assertForwardFits(model, { engine: 'onnxruntime', backend: o.backend.name, gpu }, o.size);
  let session: OrtSession | null = null;
  let head: tfl.LayersModel | null = null;
  try {
    const trunk = exportOnnx(model, { layerOutputs: cut, trunkOnly: true });
    session = await openOrtSession(trunk.bytes, { threads: ortThreads() });
    head = buildHeadModel(model, cut);
    assertSameTrainable(model, head, o.mode);
    return frozenTrunk(
      session,
      head,
      cut,
      cut.map((name) => trunk.layerOutputs[name]!),
      choice.reason,
    );
  } catch (err) {
    head?.dispose();
    await session?.session.release();
    if (requested === 'onnxruntime') throw err;
    return null;
  }
}

/** The head must train exactly what the whole model would (selectTrainable decides both). */
function assertSameTrainable(model: tfl.LayersModel, head: tfl.LayersModel, mode: TrainableMode): void {
  const names = (m: tfl.LayersModel) => m.trainableWeights.map((w) => w.originalName).sort();
  const expected = names(model);
  selectTrainable(head, mode);
  const got = names(head);
  if (expected.join() !== got.join()) {
    throw new Error(`The split head trains [${got.join(', ')}] instead of [${expected.join(', ')}]`);
  }
}

function frozenTrunk(
  open: OrtSession,
  head: tfl.LayersModel,
  cut: string[],
  outputs: string[],
  reason: string,
): FrozenTrunkTraining {
  const { ort, session } = open;
  const threads = `${open.threads} thread${open.threads > 1 ? 's' : ''}`;
  const report: ForwardReport = {
    engine: 'onnxruntime',
    detail: `frozen trunk on onnxruntime ${open.provider}, ${threads}; head (${head.layers.length - cut.length} layers) in tfjs`,
    reason: [reason, ...open.notes].join('; '),
  };
  const trunk = async (batch: ForwardBatch): Promise<tf.Tensor[]> => {
    const out = await session.run(imageFeed(ort, batch), outputs);
    return outputs.map((name) => tf.tensor(out[name]!.data as Float32Array, out[name]!.dims as number[]));
  };
  return {
    head,
    cut,
    report,
    trunk,
    forwardPass: () => ({
      report,
      features: false,
      run: async (batch) => {
        const inputs = await trunk(batch);
        try {
          return { logits: head.apply(inputs, { training: false }) as tf.Tensor2D, pooled: null };
        } finally {
          tf.dispose(inputs);
        }
      },
      dispose: async () => {},
    }),
    syncInto: (model) => copyHeadWeights(head, model),
    dispose: async () => {
      head.dispose();
      await session.release();
    },
  };
}
