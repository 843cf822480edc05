import type { Run, RunStatus } from '../../../shared/api/runs';

export type RunSortKey =
  'id' | 'name' | 'status' | 'kind' | 'backend' | 'dataset' | 'kTrain' | 'kTest' | 'acc' | 'time' | 'speed';
export type SortDirection = 'asc' | 'desc';

export interface RunFilter {
  /** Matches name, dataset, backend, kind, status or `#id`, case-insensitively. */
  text: string;
  status: RunStatus | 'all';
}

type Value = string | number | null;

function sortValue(run: Run, key: RunSortKey, datasetName: (id: number | null) => string): Value {
  switch (key) {
    case 'id':
      return run.id;
    case 'name':
      return run.name.toLowerCase();
    case 'status':
      return run.status;
    case 'kind':
      return run.kind;
    case 'backend':
      return run.backend;
    case 'dataset':
      return datasetName(run.datasetId).toLowerCase();
    case 'kTrain':
      return run.config.kTrain;
    case 'kTest':
      return run.config.kTest;
    case 'acc':
      return run.lastAcc;
    case 'time':
      return run.wallSeconds;
    case 'speed':
      return run.imgPerSec;
  }
}

/** Sorted copy; missing values always go last, ties by id (newest first). */
export function sortRuns(
  runs: readonly Run[],
  key: RunSortKey,
  direction: SortDirection,
  datasetName: (id: number | null) => string,
): Run[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...runs].sort((a, b) => {
    const va = sortValue(a, key, datasetName);
    const vb = sortValue(b, key, datasetName);
    if (va === null && vb === null) return b.id - a.id;
    if (va === null) return 1;
    if (vb === null) return -1;
    const cmp = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return cmp === 0 ? b.id - a.id : sign * cmp;
  });
}

export function filterRuns(runs: readonly Run[], filter: RunFilter, datasetName: (id: number | null) => string): Run[] {
  const words = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return runs.filter((r) => {
    if (filter.status !== 'all' && r.status !== filter.status) return false;
    const haystack = [`#${r.id}`, r.name, datasetName(r.datasetId), r.backend ?? '', r.kind, r.status].join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
