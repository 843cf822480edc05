import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { stratifiedSplit } from '../../core/stratified-split';
import type { Dataset } from '../../shared/api/datasets';
import { userError } from '../../shared/errors';
import type { Db } from '../../store/db';
import * as store from '../../store/datasets';
import { assignSplits, countImages, hashesOnlyIn, imageKeys } from '../../store/images';
import { duplicateGroups, skippedFiles, tinyImages, unreadableImages } from '../../store/inspection';
import { scanDataset } from './dataset-scan';
import type { EngineHost } from '../engine/engine-host';
import type { LabEvents } from '../events';
import { UnsavedEnds } from '../jobs/unsaved-ends';
import { withRoomFromThumbnails, type ThumbnailCache } from './thumbnail-cache';
import { reattachForgotten, restoreForgottenSplit, type Reattached } from './forgotten';
import { forgetDataset } from '../../store/forgotten-datasets';
import { missingRow } from '../missing-row';

export interface OpenedDataset {
  dataset: Dataset;
  /** Settles when the scan started by this call ends. */
  scanned: Promise<Dataset>;
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

/** Opening, scanning and listing datasets. Scans run in the engine process; results land in one transaction. */
export class DatasetService {
  #db: Db;
  #engine: EngineHost;
  #events: LabEvents;
  #thumbnails: ThumbnailCache;
  #onReattached: (reattached: Reattached) => void;
  #scans = new Map<number, { done: Promise<Dataset>; controller: AbortController }>();
  /** Scan ends a full or read-only database refused: shown at once, written when it takes writes again. */
  #ends: UnsavedEnds<{ status: 'ready' | 'failed'; error?: string | null }>;

  constructor(options: DatasetServiceOptions) {
    this.#db = options.db;
    this.#ends = new UnsavedEnds((id, end) =>
      end.status === 'ready' ? store.markReady(this.#db, id) : store.markScanFailed(this.#db, id, end.error ?? ''),
    );
    this.#engine = options.engine;
    this.#events = options.events;
    this.#thumbnails = options.thumbnails;
    this.#onReattached = options.onReattached ?? (() => undefined);
  }

  list(): Dataset[] {
    this.#ends.retry();
    return store.listDatasets(this.#db).map((row) => this.#toDataset(this.#ends.apply(row)));
  }

  get(id: number): Dataset {
    return this.#toDataset(this.row(id));
  }

  /** The stored row, or a user error naming the id. */
  row(id: number): store.DatasetRow {
    const row = store.getDataset(this.#db, id);
    if (!row) throw missingRow(this.#db, 'dataset', id, 'id');
    return this.#ends.apply(row);
  }

  /** Opens a folder, or a CSV manifest (`path,label[,split]`, paths relative to its folder), and scans it. */
  async open(pathInput: string): Promise<OpenedDataset> {
    const path = resolve(pathInput);
    const info = await stat(path).catch(() => null);
    if (!info) throw userError(`Folder not found: ${path}`, 'root');
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
    const existing = this.#scans.get(id);
    if (existing) return { dataset: this.get(id), scanned: existing.done };
    this.#ends.retry();
    const row = this.row(id);
    store.markScanning(this.#db, id);
    const controller = new AbortController();
    const done = this.#scan(row, controller.signal).finally(() => this.#scans.delete(id));
    // Callers that await `scanned` still see a failure; one that does not (a handler that answered with
    // the dataset at once) must not turn a scan ended by Forget into an unhandled rejection.
    done.catch(() => undefined);
    this.#scans.set(id, { done, controller });
    const dataset = this.get(id);
    this.#events.emit('dataset.updated', dataset);
    return { dataset, scanned: done };
  }

  /** Stops a running scan; the previous scan's results (if any) stay. */
  async cancelScan(id: number): Promise<Dataset> {
    const scan = this.#scans.get(id);
    if (!scan) return this.get(id);
    scan.controller.abort();
    return scan.done;
  }

  /**
   * Forgets a dataset: a running scan is cancelled and has stopped (it writes no more thumbnails)
   * before its rows go, and its thumbnails that no other dataset shows are deleted first, which
   * also makes room for the deletion itself on a full disk.
   */
  async remove(id: number): Promise<boolean> {
    const scan = this.#scans.get(id);
    if (scan) {
      scan.controller.abort();
      await scan.done.catch(() => undefined);
    }
    await this.#thumbnails.remove(hashesOnlyIn(this.#db, id));
    return withRoomFromThumbnails(this.#thumbnails, () => forgetDataset(this.#db, id));
  }

  /** Changes the seeded split (val fraction, seed); applied at once when the layout has no val folders. */
  setSplit(id: number, valFraction: number, seed: number): Dataset {
    const row = this.row(id);
    if (row.status === 'scanning') throw userError('Wait for the scan to finish before changing the split');
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

  async #scan(row: store.DatasetRow, signal: AbortSignal): Promise<Dataset> {
    const id = row.id;
    try {
      const deps = { db: this.#db, engine: this.#engine, events: this.#events, thumbnails: this.#thumbnails };
      await scanDataset(deps, row, signal);
      this.#reattach(id);
    } catch (err) {
      if (store.getDataset(this.#db, id)) {
        const cancelled = signal.aborted || (err as Error).name === 'AbortError';
        if (cancelled && store.hasImages(this.#db, id)) this.#ends.save(id, { status: 'ready' });
        else
          this.#ends.save(id, {
            status: 'failed',
            error: cancelled ? 'Scan cancelled. Rescan to finish it.' : (err as Error).message,
          });
      }
    }
    const dataset = store.getDataset(this.#db, id) ? this.get(id) : null;
    if (!dataset) throw userError('The dataset was removed during its scan');
    this.#events.emit('dataset.scanProgress', { datasetId: id, filesSeen: dataset.imageCount, done: true });
    this.#events.emit('dataset.updated', dataset);
    return dataset;
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
        tiny: tinyImages(this.#db, row.id, 0).total,
        skipped: skippedFiles(this.#db, row.id, 0).total,
      },
    };
  }
}
