import { streamFor } from './rng';
import { hashString } from './stratified-split';

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
 * 1 = selection (pick K_test and the fine-tuned K_test here), 0 = held out (report here). In
 * each class the images are ranked by a seeded hash of their path and the first ⌊n/2⌋ are the
 * selection (an odd one out goes to the reported half). The cut depends only on the image, so
 * the parent run and every fine-tuned child share it.
 */
export function selectionSplit(items: readonly { relPath: string; label: number }[]): Uint8Array {
  const byClass = new Map<number, { index: number; rank: number }[]>();
  items.forEach((item, index) => {
    const list = byClass.get(item.label) ?? [];
    list.push({ index, rank: streamFor(SELECTION_SPLIT_SEED, hashString(item.relPath)).nextU32() });
    byClass.set(item.label, list);
  });
  const out = new Uint8Array(items.length);
  for (const list of byClass.values()) {
    list.sort((a, b) => a.rank - b.rank || a.index - b.index);
    for (let i = 0; i < Math.floor(list.length / 2); i++) out[list[i]!.index] = 1;
  }
  return out;
}
