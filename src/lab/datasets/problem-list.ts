import type { TinyBasis } from '../../core/dataset-stats';
import type { DatasetProblem } from '../../shared/api/datasets';
import type { Db } from '../../store/db';
import { duplicateGroups, skippedFiles, tinyImages, unreadableImages } from '../../store/inspection';

const ALL = Number.MAX_SAFE_INTEGER;

/** What each basis of the tiny rule means, for the problem's reason. */
export const TINY_BASIS_TEXT: Record<TinyBasis, string> = {
  requested: 'the K asked for',
  'default-k': 'the default K_train',
  median: "the dataset's median shorter side, below the default K_train",
};

/** Every problem file of a dataset: unreadable, exact duplicates (with their group and leak), tiny at `tiny.side`, skipped. */
export function problemList(db: Db, datasetId: number, tiny: { side: number; basis: TinyBasis }): DatasetProblem[] {
  const none = { className: null, split: null, group: null, leak: [] };
  const out: DatasetProblem[] = [];
  for (const u of unreadableImages(db, datasetId, ALL).items)
    out.push({ ...none, file: u.relPath, kind: 'unreadable', reason: u.reason, className: u.className, split: u.split });
  for (const g of duplicateGroups(db, datasetId, ALL).items) {
    const leak: DatasetProblem['leak'] = [
      ...(g.crossClass ? ['across-classes' as const] : []),
      ...(g.crossSplit ? ['train-val' as const] : []),
    ];
    const where = leak.length
      ? ` (${leak.map((l) => (l === 'train-val' ? 'in train and val' : 'across classes')).join(', ')})`
      : '';
    for (const img of g.images)
      out.push({
        file: img.relPath,
        kind: 'duplicate',
        reason: `same content as ${g.images.length - 1} other file${g.images.length === 2 ? '' : 's'}${where}`,
        className: img.className,
        split: img.split,
        group: g.hash,
        leak,
      });
  }
  for (const t of tinyImages(db, datasetId, ALL, tiny.side).items)
    out.push({
      ...none,
      file: t.relPath,
      kind: 'tiny',
      reason: `${t.width}×${t.height}: shorter side under ${tiny.side} px (${TINY_BASIS_TEXT[tiny.basis]}), upscaled at that K`,
      className: t.className,
      split: t.split,
    });
  for (const s of skippedFiles(db, datasetId, ALL).items)
    out.push({ ...none, file: s.relPath, kind: 'skipped', reason: s.reason });
  return out;
}
