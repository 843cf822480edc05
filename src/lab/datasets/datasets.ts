import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { stratifiedSplit } from '../../core/stratified-split';
import type { Dataset } from '../../shared/api/datasets';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import * as store from '../../store/datasets';
import { assignSplits, countImages, hashesOnlyIn, imageKeys } from '../../store/images';
import { duplicateGroups, skippedFiles, tinyImages, unreadableImages } from '../../store/inspection';
import { scanDataset } from './dataset-scan';
import type { EngineHost } from '../engine';
import type { LabEvents } from '../events';
import { appPath } from '../paths';
import { tinyRuleOf } from './tiny-rule';
import { JobLifecycle, type JobContext, type JobFailure } from '../jobs';
import { withRoomFromThumbnails, type ThumbnailCache } from './thumbnail-cache';
import { reattachForgotten, restoreForgottenSplit, type Reattached } from './forgotten';
import { forgetDataset } from '../../store/forgotten-datasets';
import { missingRow } from '../missing-row';

export interface OpenedDataset {
  dataset: Dataset;
  /** Settles when the scan started by this call ends. */
  scanned: Promise<Dataset>;
}

/** How a scan ended, as the dataset row stores it. */
interface ScanEnd {
  status: 'ready' | 'failed';
  error?: string | null;
}

export interface DatasetServiceOptions {
  db: Db;
  /** The `io` engine: scans, decoding, thumbnails. */
  engine: EngineHost;
  events: LabEvents;
  /** The grid thumbnails scans write (`<dataDir>/cache/thumbs`), bounded; a forgotten dataset's go with it. */
  thumbnails: ThumbnailCache;
  /** Told when a folder opened again gives runs and workflows of its forgotten dataset their dataset back. */
  onReattached?(reattached: Reattached): void;
}

/** Opening, scanning and listing datasets. Scans run in the image (`io`) engine process; results land in one transaction. */
export class DatasetService {
  #db: Db;
  #engine: EngineHost;
  #events: LabEvents;
  #thumbnails: ThumbnailCache;
  #onReattached: (reattached: Reattached) => void;
  /** Scans: one per dataset at a time, in the `io` engine (not the compute queue). */
  #life: JobLifecycle<ScanEnd>;
  /** First scans that found nothing to keep, by dataset id: why (what `scanned` rejects with). */
  #dropped = new Map<number, Error>();

  constructor(options: DatasetServiceOptions) {
    this.#db = options.db;
    this.#engine = options.engine;
    this.#events = options.events;
    this.#thumbnails = options.thumbnails;
    this.#onReattached = options.onReattached ?? (() => undefined);
    this.#life = new JobLifecycle({
      db: options.db,
      writeEnd: (id, end) =>
        end.status === 'ready' ? store.markReady(this.#db, id) : store.markScanFailed(this.#db, id, end.error ?? ''),
      exists: (id) => store.getDataset(this.#db, id) !== undefined,
      emitUpdated: (id) => this.#announceScanEnd(id),
    });
  }

  list(): Dataset[] {
    this.#life.ends.retry();
    return store.listDatasets(this.#db).map((row) => this.#toDataset(this.#life.ends.apply(row)));
  }

  get(id: number): Dataset {
    return this.#toDataset(this.row(id));
  }

  /** The stored row, or a user error naming the id. */
  row(id: number): store.DatasetRow {
    const row = store.getDataset(this.#db, id);
    if (!row) throw missingRow(this.#db, 'dataset', id, 'id');
    return this.#life.ends.apply(row);
  }

  /** Opens a folder, or a CSV manifest (`path,label[,split]`, paths relative to its folder), and scans it. */
  async open(pathInput: string): Promise<OpenedDataset> {
    const path = appPath(pathInput, 'root');
    const info = await stat(path).catch(() => null);
    if (!info) throw userError(`Folder not found: ${path}`, 'root', 'NotFound');
    let row: store.DatasetRow;
    if (info.isFile() && path.toLowerCase().endsWith('.csv')) {
      row = store.upsertDataset(this.#db, dirname(path), basename(path, '.csv'), basename(path));
    } else if (info.isDirectory()) {
      row = store.upsertDataset(this.#db, path, basename(path) || path);
    } else {
      throw userError(`Not a folder or a .csv manifest: ${path}`, 'root');
    }
    restoreForgottenSplit(this.#db, row);
    return this.rescan(row.id);
  }

  rescan(id: number): OpenedDataset {
    if (this.#life.isActive(id)) return { dataset: this.get(id), scanned: this.#scanned(id) };
    this.#life.ends.retry();
    const row = this.row(id);
    store.markScanning(this.#db, id);
    this.#life.launch(id, {
      run: (job) => this.#scan(row, job),
      failedEnd: (failure, job) => this.#scanFailure(id, failure, job),
    });
    const dataset = this.get(id);
    this.#events.emit('dataset.updated', dataset);
    return { dataset, scanned: this.#scanned(id) };
  }

  /** Stops a running scan; the previous scan's results (if any) stay. */
  async cancelScan(id: number): Promise<Dataset> {
    if (!this.#life.cancel(id)) return this.get(id);
    return this.#scanned(id);
  }

  /**
   * Forgets a dataset: a running scan is cancelled and has stopped (it writes no more thumbnails)
   * before its rows go, and its thumbnails that no other dataset shows are deleted first, which
   * also makes room for the deletion itself on a full disk.
   */
  async remove(id: number): Promise<boolean> {
    if (this.#life.cancel(id)) await this.#life.settled(id);
    await this.#thumbnails.remove(hashesOnlyIn(this.#db, id));
    return withRoomFromThumbnails(this.#thumbnails, () => forgetDataset(this.#db, id));
  }

  /** Changes the seeded split (val fraction, seed); applied at once when the layout has no val folders. */
  setSplit(id: number, valFraction: number, seed: number): Dataset {
    const row = this.row(id);
    if (row.status === 'scanning') throw userError('Wait for the scan to finish before changing the split', undefined, 'Busy');
    store.setSplitSettings(this.#db, id, valFraction, seed);
    if (row.split_source === 'seeded') {
      const images = imageKeys(this.#db, id);
      const splits = stratifiedSplit(
        images.map((i) => ({ key: i.relPath, group: i.className })),
        valFraction,
        seed,
      );
      assignSplits(
        this.#db,
        images.map((img, i) => ({ id: img.id, split: splits[i]! })),
      );
      this.#reattach(id);
    }
    const dataset = this.get(id);
    this.#events.emit('dataset.updated', dataset);
    return dataset;
  }

  /** A scan stores its results and its `ready` status in one transaction: nothing is left to end. */
  async #scan(row: store.DatasetRow, job: JobContext): Promise<null> {
    const deps = {
      db: this.#db,
      engine: this.#engine,
      events: this.#events,
      thumbnails: this.#thumbnails,
      progress: this.#life.progress,
    };
    try {
      await scanDataset(deps, row, job.signal);
    } catch (err) {
      // Papercut 6: a first scan of an empty or unreadable folder leaves no "failed" dataset behind.
      const cancelled = job.signal.aborted || (err as Error).name === 'AbortError';
      if (!cancelled && row.scanned_at === null && isAboutTheFolder(err) && !store.hasImages(this.#db, row.id))
        this.#dropUnscanned(row, err as Error);
      throw err;
    }
    this.#reattach(row.id);
    return null;
  }

  /** Papercut 6: a first scan that found nothing to keep removes its row, and the clients hear why. */
  #dropUnscanned(row: store.DatasetRow, err: Error): never {
    this.#dropped.set(row.id, err);
    store.deleteDataset(this.#db, row.id);
    this.#events.emit('dataset.removed', { id: row.id, root: row.root, reason: err.message });
    throw err;
  }

  /** A cancelled rescan keeps the previous results; a first scan that stopped short fails, saying what to do. */
  #scanFailure(id: number, failure: JobFailure, job: JobContext): ScanEnd {
    const cancelled = failure.status === 'cancelled' || job.signal.aborted;
    if (cancelled && store.hasImages(this.#db, id)) return { status: 'ready' };
    return { status: 'failed', error: cancelled ? 'Scan cancelled. Rescan to finish it.' : failure.error };
  }

  /** Settles with the dataset once its scan has ended (rejects when it was removed meanwhile). */
  #scanned(id: number): Promise<Dataset> {
    const scanned = this.#life.settled(id).then(() => {
      if (!store.getDataset(this.#db, id)) {
        // A first scan that found nothing to keep removed its row: the scan's own reason says why.
        const dropped = this.#dropped.get(id);
        this.#dropped.delete(id);
        throw dropped ?? userError('The dataset was removed during its scan', undefined, 'NotFound');
      }
      return this.get(id);
    });
    // Callers that only wanted the dataset may ignore this promise: a removal must not become an unhandled rejection.
    scanned.catch(() => undefined);
    return scanned;
  }

  #announceScanEnd(id: number): void {
    const dataset = this.get(id);
    this.#events.emit('dataset.scanProgress', { datasetId: id, filesSeen: dataset.imageCount, done: true });
    this.#events.emit('dataset.updated', dataset);
  }

  #reattach(id: number): void {
    let reattached: Reattached;
    try {
      reattached = reattachForgotten(this.#db, id);
    } catch {
      return; // a database that refuses the write: the scan itself is saved; the next scan tries again
    }
    if (reattached.runIds.length || reattached.workflowIds.length) this.#onReattached(reattached);
  }

  #toDataset(row: store.DatasetRow): Dataset {
    const classes = store.classCounts(this.#db, row.id);
    const imageCount = countImages(this.#db, row.id);
    const duplicates = duplicateGroups(this.#db, row.id, 0);
    const layout =
      row.layout === 'imagefolder' || row.layout === 'imagefolder-split' || row.layout === 'manifest' ? row.layout : 'unknown';
    return {
      id: row.id,
      name: row.name,
      root: row.root,
      layout,
      status: row.status,
      error: row.error,
      scannedAt: row.scanned_at,
      imageCount,
      classes,
      split: { source: row.split_source, valFraction: row.val_fraction, seed: row.split_seed },
      problems: {
        unreadable: unreadableImages(this.#db, row.id, 0).total,
        duplicateGroups: duplicates.total,
        leakingGroups: duplicates.leaking,
        tiny: tinyImages(this.#db, row.id, 0, tinyRuleOf(this.#db, row.id).side).total,
        skipped: skippedFiles(this.#db, row.id, 0).total,
      },
    };
  }
}

/** The scan failed because of what the folder holds (no images, unreadable, a bad manifest), not the machine. */
function isAboutTheFolder(err: unknown): boolean {
  const field = (err as { field?: unknown } | null)?.field;
  return field === 'root' || field === 'manifest';
}
