import { mkdir, mkdtemp, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSpec } from '../../shared/jobs/data-spec';
import type { SweepDecoding, SweepInput } from '../../shared/jobs/sweep';

const MB = 2 ** 20;
/** The cache's per-copy header (width, height, original width, original height as uint32). */
const HEADER_BYTES = 16;

/** A sweep's decoded-image copies: which specs use them, and the folder to remove at the end. */
export interface DecodeOnce {
  readonly decoding: SweepDecoding;
  /** `spec` reading its pixels from the sweep's copies (unchanged when decoding per K_test). */
  apply(spec: DataSpec): DataSpec;
  /** Removes the spill folder; call after every source of the sweep is closed. */
  dispose(): Promise<void>;
}

/**
 * Decides whether a sweep decodes each validation image once: its copies at original size (so
 * the test transform at every K renders exactly the pixels of a fresh decode) go to a spill
 * folder of its own, which later K_tests' sources read instead of decoding again. Falls back to
 * decoding per K_test when not asked for, when the estimated copies exceed the disk budget (or
 * half the free space), or when no spill folder can be made.
 */
export async function planDecodeOnce(input: SweepInput): Promise<DecodeOnce> {
  const settings = input.decodeOnce;
  if (!settings) return perKTest('decoding once per sweep was not requested');
  const needed = settings.estimatedBytes + input.val.items.length * HEADER_BYTES;
  let folder: string;
  try {
    await mkdir(settings.dir, { recursive: true });
    const fs = await statfs(settings.dir);
    const budget = Math.min(settings.diskMb * MB, (fs.bavail * fs.bsize) / 2);
    if (needed > budget) {
      const mb = (bytes: number) => `${Math.ceil(bytes / MB)} MB`;
      return perKTest(`the decoded validation images (~${mb(needed)}) exceed the disk budget (${mb(budget)})`);
    }
    folder = await mkdtemp(join(settings.dir, 'sweep-'));
  } catch (err) {
    return perKTest(`no spill folder for decoded images (${(err as Error).message})`);
  }
  const cache = { shortSide: 'original' as const, memoryMb: settings.memoryMb, dir: folder };
  return {
    decoding: { mode: 'once', reason: `decoded copies of ${input.val.items.length} images (~${Math.ceil(needed / MB)} MB)` },
    apply: (spec) => ({ ...spec, cache }),
    dispose: () => rm(folder, { recursive: true, force: true, maxRetries: 3 }),
  };
}

function perKTest(reason: string): DecodeOnce {
  return { decoding: { mode: 'per-k-test', reason }, apply: (spec) => spec, dispose: async () => undefined };
}
