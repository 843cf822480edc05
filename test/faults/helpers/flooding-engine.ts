import type { EngineChannel, SpawnEngine } from '../../../src/lab/engine';
import type { FromEngine, ToEngine } from '../../../src/shared/engine-protocol';
import type { InspectedImage } from '../../../src/shared/jobs/inspect';
import type { TrainProgress } from '../../../src/shared/jobs/train';

/** How many progress messages each job of the flooding engine sends. */
export interface Flood {
  /** `walk` messages of a scan, and images it lists (two classes). */
  walkMessages: number;
  images: number;
  /** `batch` messages of a train job, all in epoch 0; and of a sweep, spread over its K_test values. */
  batchMessages: number;
}

/**
 * An in-process engine that answers like the real one but as fast as a machine can send: every
 * job sends its progress as a burst of messages (one image per inspect message, one message per
 * training or evaluation batch) before its result. It shows what reaches the lab's clients when an engine floods.
 */
export function floodingEngine(flood: Flood): SpawnEngine {
  return (): EngineChannel => {
    let listener: (m: FromEngine) => void = () => undefined;
    const reply = (m: Extract<ToEngine, { type: 'start' }>) => {
      const progress = (p: unknown) => listener({ type: 'progress', jobId: m.jobId, progress: p });
      const result = (r: unknown) => listener({ type: 'result', jobId: m.jobId, result: r });
      if (m.kind === 'scan') {
        for (let i = 1; i <= flood.walkMessages; i++) progress({ kind: 'walk', filesSeen: i });
        const images = Array.from({ length: flood.images }, (_, i) => ({
          relPath: `c${i % 2}/${i}.png`,
          className: `c${i % 2}`,
          split: null,
          bytes: 100,
          mtimeMs: 1,
        }));
        progress({ kind: 'images', images });
        result({ layout: 'imagefolder', classNames: ['c0', 'c1'], imageCount: images.length, skippedCount: 0 });
      } else if (m.kind === 'inspect') {
        m.input.relPaths.forEach((relPath, i) => progress({ done: i + 1, images: [inspected(relPath, i)] }));
        result({ done: m.input.relPaths.length });
      } else if (m.kind === 'train') {
        const batchesPerEpoch = flood.batchMessages + 1;
        const send = (p: TrainProgress) => progress(p);
        send({ type: 'start', backend: 'flood', startEpoch: 0, startBatch: 0, batchesPerEpoch, epochs: 1 });
        for (let batch = 1; batch <= flood.batchMessages; batch++) {
          send({ type: 'batch', epoch: 0, batch, batchesPerEpoch, loss: 1, acc: 0.5, lr: 0.1, imgPerSec: 1e5, etaSeconds: 1 });
        }
        const phase = { loss: 1, acc: 0.5, top5: null, imgPerSec: 1e5, seconds: 1 };
        send({ type: 'epoch', summary: { epoch: 0, lr: 0.1, train: phase, val: phase } });
        send({ type: 'checkpoint', epoch: 1, batch: 0 });
        result({
          status: 'completed',
          backend: 'flood',
          epochsCompleted: 1,
          wallSeconds: 1,
          imgPerSec: 1e5,
          peakRssMb: 1,
          last: null,
          finalVal: null,
        });
      } else if (m.kind === 'sweep') {
        const { kTests } = m.input;
        const decoding = { mode: 'per-k-test' as const, reason: 'flooding engine' };
        progress({ type: 'start', backend: 'flood', kTests, images: 1, decoding });
        const total = Math.ceil(flood.batchMessages / kTests.length);
        kTests.forEach((kTest, index) => {
          for (let done = 1; done <= total; done++)
            progress({ type: 'batch', phase: 'evaluate', kTest, index, done, total, imgPerSec: 1e5 });
        });
        result({
          backend: 'flood',
          points: [],
          activations: [],
          reference: null,
          decoding,
          wallSeconds: 1,
          imgPerSec: 1e5,
          peakRssMb: 1,
        });
      } else {
        listener({
          type: 'error',
          jobId: m.jobId,
          error: { name: 'Error', code: 'Internal', message: `The flooding engine does not run ${m.kind}` },
        });
      }
    };
    return {
      send: (m) => {
        if (m.type === 'start') setTimeout(() => reply(m), 0);
      },
      onMessage: (l) => (listener = l),
      onExit: () => undefined,
      kill: () => undefined,
    };
  };
}

function inspected(relPath: string, i: number): InspectedImage {
  return {
    relPath,
    status: 'ok',
    error: null,
    width: 12,
    height: 12,
    format: 'png',
    hash: i.toString(16).padStart(40, '0'),
    channelMean: [0.5, 0.5, 0.5],
    channelMeanSquare: [0.3, 0.3, 0.3],
  };
}
