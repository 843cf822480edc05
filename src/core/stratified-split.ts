import { streamFor } from './rng';

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A seeded stratified train/val split: within each class, items are ranked by a seeded hash
 * of their key and the first round(n · valFraction) go to val (at least one item stays in
 * train). Ranks depend only on (seed, key), so adding an image moves few others.
 */
export function stratifiedSplit(
  items: readonly { key: string; group: string }[],
  valFraction: number,
  seed: number,
): ('train' | 'val')[] {
  const byGroup = new Map<string, { index: number; rank: number }[]>();
  items.forEach((item, index) => {
    const rank = streamFor(seed, hashString(item.key)).nextU32();
    const list = byGroup.get(item.group) ?? [];
    list.push({ index, rank });
    byGroup.set(item.group, list);
  });
  const out: ('train' | 'val')[] = items.map(() => 'train');
  for (const list of byGroup.values()) {
    list.sort((a, b) => a.rank - b.rank || a.index - b.index);
    const nVal = Math.min(list.length - 1, Math.round(list.length * valFraction));
    for (let i = 0; i < nVal; i++) out[list[i]!.index] = 'val';
  }
  return out;
}
