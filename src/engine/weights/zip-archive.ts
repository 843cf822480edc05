import { crc32, inflateRawSync } from 'node:zlib';

/** One file of a zip archive, located through the central directory. */
interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Read access to the files of a zip archive held in memory. */
export interface ZipArchive {
  /** File names in central-directory order. */
  readonly names: readonly string[];
  /** The bytes of `name` (stored entries without copying), CRC-checked. */
  read(name: string): Uint8Array;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;

/**
 * Opens a zip archive (what `torch.save` writes) by its central directory. Stored and deflated
 * entries and zip64 records are understood; every offset and size is checked against the
 * buffer, so a truncated or damaged archive is refused with the reason.
 */
export function openZip(bytes: Uint8Array, source = 'the file'): ZipArchive {
  const fail = (why: string) => new Error(`${source} is not a readable zip archive: ${why}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => safeNumber(view.getBigUint64(at, true), fail);
  const inside = (at: number, length: number, what: string) => {
    if (at < 0 || length < 0 || at + length > bytes.length) throw fail(`${what} lies outside the file (truncated?)`);
  };

  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) throw fail('no end-of-central-directory record (truncated, or not a zip)');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== EOCD64_LOCATOR) throw fail('zip64 sizes without a zip64 locator');
    const record = u64(locator + 8);
    inside(record, 56, 'the zip64 end record');
    if (u32(record) !== EOCD64) throw fail('the zip64 locator points at no zip64 end record');
    count = u64(record + 32);
    cdSize = u64(record + 40);
    cdOffset = u64(record + 48);
  }
  inside(cdOffset, cdSize, 'the central directory');

  const entries = new Map<string, ZipEntry>();
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    inside(at, 46, `central-directory record ${i}`);
    if (u32(at) !== CENTRAL) throw fail(`central-directory record ${i} has a bad signature`);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    inside(at + 46, nameLength + extraLength + commentLength, `central-directory record ${i}`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const entry: ZipEntry = {
      name,
      flags: u16(at + 8),
      method: u16(at + 10),
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      localHeaderOffset: u32(at + 42),
    };
    applyZip64Extra(entry, view, at + 46 + nameLength, extraLength, u64);
    if (entries.has(name)) throw fail(`"${name}" appears twice`);
    entries.set(name, entry);
    at += 46 + nameLength + extraLength + commentLength;
  }

  return {
    names: [...entries.keys()],
    read(name) {
      const entry = entries.get(name);
      if (!entry) throw fail(`it has no "${name}"`);
      const what = `"${name}"`;
      if (entry.flags & 1) throw fail(`${what} is encrypted`);
      inside(entry.localHeaderOffset, 30, `the header of ${what}`);
      if (u32(entry.localHeaderOffset) !== LOCAL) throw fail(`the header of ${what} has a bad signature`);
      const dataAt = entry.localHeaderOffset + 30 + u16(entry.localHeaderOffset + 26) + u16(entry.localHeaderOffset + 28);
      inside(dataAt, entry.compressedSize, `the data of ${what}`);
      const raw = bytes.subarray(dataAt, dataAt + entry.compressedSize);
      let data: Uint8Array;
      if (entry.method === STORED) {
        if (entry.compressedSize !== entry.size) throw fail(`${what} is stored but its two sizes differ`);
        data = raw;
      } else if (entry.method === DEFLATED) {
        try {
          data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
        } catch (err) {
          throw fail(`${what} does not inflate (${(err as Error).message})`);
        }
        if (data.length !== entry.size) throw fail(`${what} inflates to ${data.length} bytes, not ${entry.size}`);
      } else throw fail(`${what} uses compression method ${entry.method}; only stored and deflate are supported`);
      if (crc32(data) !== entry.crc) throw fail(`${what} fails its CRC check (the file is damaged)`);
      return data;
    },
  };
}

/** The offset of the end-of-central-directory record, searched backwards over a possible comment. */
function findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === EOCD && at + 22 + view.getUint16(at + 20, true) === view.byteLength) return at;
  }
  return -1;
}

/** Replaces the 0xFFFFFFFF placeholders of a zip64 entry with the 64-bit values of its extra field. */
function applyZip64Extra(entry: ZipEntry, view: DataView, start: number, length: number, u64: (at: number) => number): void {
  const wants = [entry.size === 0xffffffff, entry.compressedSize === 0xffffffff, entry.localHeaderOffset === 0xffffffff];
  if (!wants.some(Boolean)) return;
  for (let at = start; at + 4 <= start + length;) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + size) throw new Error(`the zip64 field of "${entry.name}" is too short`);
        const value = u64(field);
        field += 8;
        return value;
      };
      if (wants[0]) entry.size = next();
      if (wants[1]) entry.compressedSize = next();
      if (wants[2]) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + size;
  }
  throw new Error(`"${entry.name}" has zip64 sizes but no zip64 field`);
}

function safeNumber(value: bigint, fail: (why: string) => Error): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw fail('a zip64 size is too large');
  return Number(value);
}
