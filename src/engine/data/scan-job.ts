import type { JobContext } from '../process/jobs';
import type { ScanInput, ScanProgressMessage, ScanSummary } from '../../shared/jobs/scan';
import { scanImageFolder } from './scan-image-folder';
import { scanManifest } from './scan-manifest';

/** Files per progress message: large lists travel as many small messages. */
export const SCAN_CHUNK = 1000;

/** The `scan` job: walk the folder (or read the manifest), then stream the lists in chunks and return a summary. */
export async function runScanJob(input: ScanInput, ctx: JobContext<ScanProgressMessage>): Promise<ScanSummary> {
  const walkCtx = { signal: ctx.signal, progress: (p: { filesSeen: number }) => ctx.progress({ kind: 'walk', ...p }) };
  const result = input.manifest
    ? await scanManifest(input.root, input.manifest, walkCtx)
    : await scanImageFolder(input.root, walkCtx);
  for (let i = 0; i < result.images.length; i += SCAN_CHUNK)
    ctx.progress({ kind: 'images', images: result.images.slice(i, i + SCAN_CHUNK) });
  for (let i = 0; i < result.skipped.length; i += SCAN_CHUNK)
    ctx.progress({ kind: 'skipped', skipped: result.skipped.slice(i, i + SCAN_CHUNK) });
  return {
    layout: result.layout,
    classNames: result.classNames,
    imageCount: result.images.length,
    skippedCount: result.skipped.length,
  };
}
