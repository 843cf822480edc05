import { hashString, stratifiedSplit } from './stratified-split';

/*
 * Per-image results of one evaluation are kept so two settings measured on the same images can
 * be compared pair by pair (McNemar) and scored on a selection half and a held-out half.
 */

/** Identifies an ordered list of evaluated images: two results pair up only when their keys are equal. */
export function imagesKey(relPaths: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = relPaths.length >>> 0;
  for (const path of relPaths) {
    const h = hashString(path);
    a = Math.imul(a ^ h, 0x01000193) >>> 0;
    b = Math.imul(b + h, 0x9e3779b1) >>> 0;
  }
  return `${relPaths.length}:${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** Fixed seed of the selection split: every run of a dataset cuts its validation images the same way. */
export const SELECTION_SPLIT_SEED = 0x5e1ec7;

/**
 * Cuts validation images in two halves, stratified by class and seeded by each image's path:
 * 1 = selection (pick K_test and the fine-tuned K_test here), 0 = held out (report here). The
 * cut depends only on the image, so the parent run and every fine-tuned child share it.
 */
export function selectionSplit(items: readonly { relPath: string; label: number }[]): Uint8Array {
  const sides = stratifiedSplit(
    items.map((i) => ({ key: i.relPath, group: String(i.label) })),
    0.5,
    SELECTION_SPLIT_SEED,
  );
  return Uint8Array.from(sides, (side) => (side === 'val' ? 1 : 0));
}
