import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Dataset } from '../shared/api/datasets';
import { userError } from '../shared/errors';
import type { Db } from '../store/db';
import * as store from '../store/datasets';
import type { EngineHost } from './engine-host';
import type { LabEvents } from './events';

export interface OpenedDataset {
  dataset: Dataset;
  /** Settles when the scan started by this call ends. */
  scanned: Promise<Dataset>;
}

/** Opening, scanning and listing datasets. Scans run in the engine process; results land in one transaction. */
export class DatasetService {
  #db: Db;
  #engine: EngineHost;
  #events: LabEvents;
  #scans = new Map<number, Promise<Dataset>>();

  constructor(db: Db, engine: EngineHost, events: LabEvents) {
    this.#db = db;
    this.#engine = engine;
    this.#events = events;
    for (const row of store.listDatasets(db)) {
      if (row.status === 'scanning')
        store.markScanFailed(db, row.id, 'The scan was interrupted when the app closed. Rescan to finish it.');
    }
  }

  list(): Dataset[] {
    return store.listDatasets(this.#db).map((row) => this.#toDataset(row));
  }

  get(id: number): Dataset {
    const row = store.getDataset(this.#db, id);
    if (!row) throw userError(`No dataset with id ${id}`, 'id');
    return this.#toDataset(row);
  }

  async open(rootInput: string): Promise<OpenedDataset> {
    const root = resolve(rootInput);
    const info = await stat(root).catch(() => null);
    if (!info) throw userError(`Folder not found: ${root}`, 'root');
    if (!info.isDirectory()) throw userError(`Not a folder: ${root}`, 'root');
    const row = store.upsertDataset(this.#db, root, basename(root) || root);
    return this.rescan(row.id);
  }

  rescan(id: number): OpenedDataset {
    const existing = this.#scans.get(id);
    if (existing) return { dataset: this.get(id), scanned: existing };
    const row = store.getDataset(this.#db, id);
    if (!row) throw userError(`No dataset with id ${id}`, 'id');
    store.markScanning(this.#db, id);
    const scanned = this.#scan(id, row.root).finally(() => this.#scans.delete(id));
    this.#scans.set(id, scanned);
    const dataset = this.get(id);
    this.#events.emit('dataset.updated', dataset);
    return { dataset, scanned };
  }

  remove(id: number): boolean {
    return store.deleteDataset(this.#db, id);
  }

  async #scan(id: number, root: string): Promise<Dataset> {
    try {
      const result = await this.#engine.run(
        'scan',
        { root },
        {
          onProgress: (p) => this.#events.emit('dataset.scanProgress', { datasetId: id, filesSeen: p.filesSeen, done: false }),
        },
      );
      if (!store.getDataset(this.#db, id)) throw userError('The dataset was removed during its scan');
      store.saveScan(this.#db, id, result.layout, result.images);
    } catch (err) {
      if (store.getDataset(this.#db, id)) store.markScanFailed(this.#db, id, (err as Error).message);
    }
    const dataset = store.getDataset(this.#db, id) ? this.get(id) : null;
    if (dataset) {
      this.#events.emit('dataset.scanProgress', { datasetId: id, filesSeen: dataset.imageCount, done: true });
      this.#events.emit('dataset.updated', dataset);
      return dataset;
    }
    throw userError('The dataset was removed during its scan');
  }

  #toDataset(row: store.DatasetRow): Dataset {
    const classes = store.classCounts(this.#db, row.id);
    return {
      id: row.id,
      name: row.name,
      root: row.root,
      layout: row.layout === 'imagefolder' || row.layout === 'imagefolder-split' ? row.layout : 'unknown',
      status: row.status,
      error: row.error,
      scannedAt: row.scanned_at,
      imageCount: classes.reduce((n, c) => n + c.count, 0),
      classes,
    };
  }
}
