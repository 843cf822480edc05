import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { userError } from '../../../shared/errors';
import { SAMPLE_COMPLETE_MARKER, type SampleWriteProgress } from '../../../shared/jobs/synth';
import { describeFsError } from '../safe-path';
import { scanCancelled } from '../scan-image-folder';

/** Refuses to write into a folder that already holds files (never clobber user data). */
export async function prepareEmptyDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw userError(`Cannot use ${dir}: ${describeFsError(err)}`, 'dir', 'Environment');
  });
  if (entries.length) throw userError(`${dir} is not empty; choose a new folder for the dataset`, 'dir');
  await makeFolders(dir).catch((err: NodeJS.ErrnoException) => {
    throw userError(`Cannot create ${dir}: ${describeFsError(err)}`, 'dir');
  });
}

/**
 * mkdir -p one level at a time, so a read-only disk or a permission says so (Node's recursive mkdir
 * reports ENOENT for both). The lab has its own copy for its folders (src/lab/fs-folders.ts): the
 * engine and the lab share no Node code.
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (
    let d = dir;
    !(await stat(d).then(
      () => true,
      () => false,
    )) && dirname(d) !== d;
    d = dirname(d)
  )
    missing.unshift(d);
  for (const d of missing) await mkdir(d);
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
