import { realpath } from 'node:fs/promises';
import type { InspectedImage, InspectInput, InspectProgress } from '../../shared/jobs/inspect';
import type { JobContext } from '../process/jobs';
import { inspectImage } from './inspect-image';
import { scanCancelled } from './scan-image-folder';

/** Images read at once (sharp decodes on libuv's thread pool). */
const CONCURRENCY = 4;
const CHUNK = 100;
const CHUNK_MS = 250;

/** The `inspect` job: read each listed image once, streaming results in chunks; cancellable between images. */
export async function runInspectJob(input: InspectInput, ctx: JobContext<InspectProgress>): Promise<{ done: number }> {
  const rootReal = await realpath(input.root);
  const options = { rootReal, thumbDir: input.thumbDir, thumbSide: input.thumbSide };
  let pending: InspectedImage[] = [];
  let done = 0;
  let lastFlush = Date.now();
  const flush = () => {
    if (!pending.length) return;
    ctx.progress({ done, images: pending });
    pending = [];
    lastFlush = Date.now();
  };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < input.relPaths.length; i = next++) {
      if (ctx.signal.aborted) throw scanCancelled();
      // Await first: `pending` may be swapped for a fresh array by a flush while this image is read.
      const result = await inspectImage(input.root, input.relPaths[i]!, options);
      pending.push(result);
      done++;
      if (pending.length >= CHUNK || Date.now() - lastFlush > CHUNK_MS) flush();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  flush();
  return { done };
}
