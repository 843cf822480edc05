import { stat } from 'node:fs/promises';
import { stratifiedSplit } from '../../core/stratified-split';
import { userError } from '../../shared/errors';
import type { InspectedImage } from '../../shared/jobs/inspect';
import type { ScannedImage, ScanSummary, SkippedFile } from '../../shared/jobs/scan';
import type { Db } from '../../store/db';
import * as store from '../../store/datasets';
import { storedInspections, type ImageRecord } from '../../store/images';
import type { EngineHost } from '../engine';
import type { LabEvents } from '../events';
import { withRoomFromThumbnails, type ThumbnailCache } from './thumbnail-cache';
import type { ProgressThrottle } from '../jobs';

export interface ScanDeps {
  db: Db;
  engine: EngineHost;
  events: LabEvents;
  thumbnails: ThumbnailCache;
  /** The scans' throttle (its lifecycle forgets a dataset when its scan ends). */
  progress: ProgressThrottle;
}

/** Images per inspect job: bounds each message and lets a cancel land between jobs quickly. */
const INSPECT_BATCH = 1000;
export const THUMB_SIDE = 160;

/**
 * One scan of a dataset: walk it in the engine (file lists arrive in chunks), read only new or
 * changed files (size/mtime differ from the stored inspection), assign a seeded stratified split
 * when the layout has no val part, and save everything in one transaction.
 */
export async function scanDataset(deps: ScanDeps, row: store.DatasetRow, signal: AbortSignal): Promise<void> {
  const { db, engine, events } = deps;
  const datasetId = row.id;
  let phase = '';
  // Throttled (a fast disk cannot flood the clients), but a new phase always shows.
  const emit = (p: { filesSeen: number; phase: 'listing' | 'reading' | 'saving'; processed?: number; total?: number }) => {
    if (!deps.progress.due(datasetId, p.phase !== phase)) return;
    phase = p.phase;
    events.emit('dataset.scanProgress', { datasetId, done: false, ...p });
  };

  const images: ScannedImage[] = [];
  const skipped: SkippedFile[] = [];
  throwIfAborted(signal);
  const summary: ScanSummary = await engine.run(
    'scan',
    { root: row.root, ...(row.manifest ? { manifest: row.manifest } : {}) },
    {
      signal,
      onProgress: (p) => {
        if (p.kind === 'walk') emit({ filesSeen: p.filesSeen, phase: 'listing' });
        else if (p.kind === 'images') images.push(...p.images);
        else skipped.push(...p.skipped);
      },
    },
  );
  if (images.length !== summary.imageCount)
    throw new Error(`Scan lost messages: ${images.length} of ${summary.imageCount} images arrived`);

  const known = storedInspections(db, datasetId);
  // Unreadable files are read again: fixing a permission or freeing a full disk changes neither size nor mtime.
  const toRead = images.filter((img) => {
    const k = known.get(img.relPath);
    return !k || k.bytes !== img.bytes || k.mtimeMs !== img.mtimeMs || k.status !== 'ok';
  });
  const fresh = new Map<string, InspectedImage>();
  await deps.thumbnails.refresh();
  // One listener on the scan's signal cancels whichever inspect job runs (EngineHost adds a listener per job).
  let job: AbortController | null = null;
  signal.addEventListener('abort', () => job?.abort(), { once: true });
  for (let i = 0; i < toRead.length; i += INSPECT_BATCH) {
    throwIfAborted(signal);
    job = new AbortController();
    const relPaths = toRead.slice(i, i + INSPECT_BATCH).map((img) => img.relPath);
    const thumbnailed: string[] = [];
    await engine
      .run(
        'inspect',
        { root: row.root, relPaths, thumbDir: deps.thumbnails.dir, thumbSide: THUMB_SIDE },
        {
          signal: job.signal,
          onProgress: (p) => {
            for (const r of p.images) {
              fresh.set(r.relPath, r);
              if (r.hash && r.status === 'ok') thumbnailed.push(r.hash);
            }
            emit({ filesSeen: images.length, phase: 'reading', processed: fresh.size, total: toRead.length });
          },
        },
      )
      .catch(async (err: unknown) => {
        await throwIfVanished(row.root);
        throw err;
      })
      // The cache stays within its bound batch by batch (and what was written before a failure counts too).
      .finally(() => deps.thumbnails.added(thumbnailed));
  }
  throwIfAborted(signal);
  await throwIfVanished(row.root);
  const missing = toRead.filter((img) => !fresh.has(img.relPath));
  if (missing.length)
    throw new Error(`The engine returned no inspection for ${missing.length} images (first: ${missing[0]!.relPath}); rescan`);
  emit({ filesSeen: images.length, phase: 'saving', processed: fresh.size, total: toRead.length });

  const records: ImageRecord[] = images.map((img) => {
    const inspected = fresh.get(img.relPath) ?? known.get(img.relPath);
    const { relPath: _ignored, ...facts } = inspected ?? { relPath: '' };
    return { ...facts, ...img };
  });
  const hasVal = records.some((r) => r.split === 'val');
  const splitSource: store.SplitSource = hasVal ? (summary.layout === 'manifest' ? 'manifest' : 'folders') : 'seeded';
  if (!hasVal) {
    const current = store.getDataset(db, datasetId) ?? row;
    const splits = stratifiedSplit(
      records.map((r) => ({ key: r.relPath, group: r.className })),
      current.val_fraction,
      current.split_seed,
    );
    records.forEach((r, i) => (r.split = splits[i]!));
  } else {
    for (const r of records) r.split ??= 'train';
  }
  if (!store.getDataset(db, datasetId)) throw new Error('The dataset was removed during its scan');
  await withRoomFromThumbnails(deps.thumbnails, () =>
    store.saveScan(db, datasetId, summary.layout, records, { skipped, splitSource }),
  );
}

/** A folder moved or deleted mid-scan would otherwise show as a raw ENOENT or a dataset of unreadable files. */
async function throwIfVanished(root: string): Promise<void> {
  if (await stat(root).catch(() => null)) return;
  throw userError(
    `The folder ${root} was moved or deleted during the scan; nothing was saved. Put it back and rescan.`,
    'root',
    'NotFound',
  );
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const err = new Error('Scan cancelled');
    err.name = 'AbortError';
    throw err;
  }
}
