/** The list with `item` replacing the entry of the same id, or added (at the end, or first with `prepend`). */
export function upsertById<T extends { id: number }>(list: readonly T[], item: T, options: { prepend?: boolean } = {}): T[] {
  if (list.some((x) => x.id === item.id)) return list.map((x) => (x.id === item.id ? item : x));
  return options.prepend ? [item, ...list] : [...list, item];
}
