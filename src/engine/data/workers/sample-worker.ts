import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { toErrorInfo } from '../../../shared/errors';
import { SampleRenderer } from '../sample-renderer';
import type { RenderReply, RenderRequest, WorkerInit } from './messages';

/** Samples decoded at once per worker: sharp decodes on libuv's pool while this thread resamples. */
const IN_FLIGHT = 2;

// Each worker is one core's worth of work: keep libvips from spawning its own thread fan-out.
sharp.concurrency(1);
const { spec, cache } = workerData as WorkerInit;
const renderer = new SampleRenderer(spec, cache);
const opened = renderer.open();
let queue = Promise.resolve();

parentPort!.on('message', (request: RenderRequest) => {
  // Requests are served in order, so batches complete in the order they were asked for.
  queue = queue.then(() => serve(request));
});

async function serve({ id, epoch, slots, buffer, stride }: RenderRequest): Promise<void> {
  let reply: RenderReply;
  try {
    await opened;
    const out = new Float32Array(buffer);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i * 2 < slots.length; i = next++)
        await renderer.renderInto(out, slots[i * 2]! * stride, slots[i * 2 + 1]!, epoch);
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    reply = { id, ok: true };
  } catch (err) {
    reply = { id, ok: false, error: toErrorInfo(err) };
  }
  parentPort!.postMessage(reply);
}
