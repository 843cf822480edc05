import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userError } from '../../../shared/errors';
import { SAMPLE_COMPLETE_MARKER, type SampleWriteProgress } from '../../../shared/jobs/synth';
import { scanCancelled } from '../scan-image-folder';

/** Refuses to write into a folder that already holds files (never clobber user data). */
export async function prepareEmptyDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw userError(`Cannot use ${dir}: ${err.code ?? err.message}`, 'dir', 'Environment');
  });
  if (entries.length) throw userError(`${dir} is not empty; choose a new folder for the dataset`, 'dir');
  await mkdir(dir, { recursive: true });
}

export interface WriteTask {
  relPath: string;
  render(): Promise<Buffer>;
}

/** Writes tasks with a few in flight, reporting progress, stopping on cancel; marks the folder complete at the end. */
export async function writeSample(
  dir: string,
  tasks: readonly WriteTask[],
  ctx: { signal: AbortSignal; progress(p: SampleWriteProgress): void },
  concurrency = 4,
): Promise<void> {
  const folders = new Set(tasks.map((t) => t.relPath.slice(0, t.relPath.lastIndexOf('/'))));
  for (const f of folders) await mkdir(join(dir, f), { recursive: true });
  let next = 0;
  let done = 0;
  let last = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) {
      if (ctx.signal.aborted) throw scanCancelled();
      await writeFile(join(dir, tasks[i]!.relPath), await tasks[i]!.render());
      done++;
      if (Date.now() - last > 200) {
        last = Date.now();
        ctx.progress({ done, total: tasks.length });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  ctx.progress({ done, total: tasks.length });
  await writeFile(join(dir, SAMPLE_COMPLETE_MARKER), `${new Date().toISOString()}\n`);
}
