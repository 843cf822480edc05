/**
 * Values as Electron's IPC (structured clone) carries them, written as JSON text with tags for what
 * JSON alone loses. Used on both sides of the page ↔ test hop that stands in for Electron's IPC.
 */
type Tagged =
  | { $ipc: 'number'; v: 'NaN' | 'Infinity' | '-Infinity' }
  | { $ipc: 'bigint'; v: string }
  | { $ipc: 'date'; v: number }
  | { $ipc: 'map'; v: [unknown, unknown][] };

export function encodeIpcValues(values: unknown[]): string {
  return JSON.stringify(values, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (typeof raw === 'number' && !Number.isFinite(raw)) return { $ipc: 'number', v: String(raw) as 'NaN' } satisfies Tagged;
    if (typeof raw === 'bigint') return { $ipc: 'bigint', v: raw.toString() } satisfies Tagged;
    if (raw instanceof Date) return { $ipc: 'date', v: raw.getTime() } satisfies Tagged;
    if (raw instanceof Map) return { $ipc: 'map', v: [...raw] } satisfies Tagged;
    return value;
  });
}

/** The values back; JSON.parse keeps an own `__proto__` key own, as structured clone does. */
export function decodeIpcValues(text: string): unknown[] {
  return JSON.parse(text, (_key, value: unknown) => {
    const tagged = value as Partial<Tagged> | null;
    if (!tagged || typeof tagged !== 'object' || !('$ipc' in tagged)) return value;
    if (tagged.$ipc === 'number') return Number(tagged.v);
    if (tagged.$ipc === 'bigint') return BigInt(tagged.v as string);
    if (tagged.$ipc === 'date') return new Date(tagged.v as number);
    if (tagged.$ipc === 'map') return new Map(tagged.v as [unknown, unknown][]);
    return value;
  }) as unknown[];
}
