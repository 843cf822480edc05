/**
 * A restricted pickle reader: it interprets the opcodes a PyTorch state_dict pickle uses and
 * builds plain values. It never imports or calls anything named by the file: every GLOBAL is
 * looked up in the caller's allow-list, and only the caller's own functions are ever called.
 */

/** A value the reader builds. Tuples are frozen arrays; dicts are Maps; the rest is what allowed globals return. */
export type PickleValue = unknown;

/** One of the caller's functions, offered to the pickle under a Python name (REDUCE calls it). */
export class AllowedCallable {
  constructor(
    readonly qualifiedName: string,
    readonly call: (args: readonly PickleValue[]) => PickleValue,
  ) {}
}

export interface UnpickleOptions {
  /**
   * Resolves `module.name` from GLOBAL/STACK_GLOBAL: an AllowedCallable, a constant, or a thrown
   * refusal. The reader trusts nothing else.
   */
  findGlobal(module: string, name: string): PickleValue;
  /** Resolves a persistent id (BINPERSID); absent: persistent ids are refused. */
  persistentLoad?(pid: PickleValue): PickleValue;
  /** Applies BUILD's state to an object; return false to refuse. Absent: only dict state on dicts, ignored. */
  build?(target: PickleValue, state: PickleValue): boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads one pickle from `bytes` and returns its value. Unknown opcodes and disallowed globals are refused. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PickleValue {
  return unpickleAt(bytes, 0, options).value;
}

/** Reads the pickle that starts at `start`; returns its value and the offset just after its STOP. */
export function unpickleAt(bytes: Uint8Array, start: number, options: UnpickleOptions): { value: PickleValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: PickleValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  let at = start;

  const fail = (why: string) => new Error(`the pickle is malformed at byte ${at}: ${why}`);
  const need = (n: number) => {
    if (n < 0 || at + n > bytes.length) throw fail('it ends too early (truncated?)');
  };
  const u8 = () => (need(1), bytes[at++]!);
  const u16 = () => (need(2), (at += 2), view.getUint16(at - 2, true));
  const i32 = () => (need(4), (at += 4), view.getInt32(at - 4, true));
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(at, true);
    at += 8;
    if (v > BigInt(bytes.length)) throw fail('a length runs past the end');
    return Number(v);
  };
  const take = (n: number) => (need(n), (at += n), bytes.subarray(at - n, at));
  const text = (n: number) => {
    const raw = take(n);
    try {
      return decoder.decode(raw);
    } catch {
      throw fail('a string is not valid UTF-8');
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) throw fail('a text line has no end');
    const s = new TextDecoder('latin1').decode(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0 || (marks.length && stack.length <= marks.at(-1)!)) throw fail('the stack is empty');
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) throw fail('the stack is empty');
    return stack[stack.length - 1];
  };
  const popMark = () => {
    const mark = marks.pop();
    if (mark === undefined) throw fail('no MARK to pop to');
    return stack.splice(mark);
  };
  const memoGet = (key: number) => {
    if (!memo.has(key)) throw fail(`memo entry ${key} was never stored`);
    return memo.get(key);
  };
  const global = (module: string, name: string) => options.findGlobal(module, name);

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw fail('pickle protocol above 5');
        break;
      case 0x95: // FRAME: a length hint only
        take(8);
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || marks.length) throw fail('it stops with an unbalanced stack');
        return { value: stack[0], end: at };
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP
        if (marks.length && stack.length === marks.at(-1)) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(littleEndianInteger(take(u8())));
        break;
      case 0x8b: {
        // LONG4
        const n = i32();
        // Wider integers are no part of a state_dict, and their conversion would be quadratic.
        if (n < 0 || n > 64) throw fail(`LONG4 of ${n} bytes`);
        stack.push(littleEndianInteger(take(n)));
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        need(8);
        stack.push(view.getFloat64(at, false));
        at += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x54: {
        // BINSTRING (Python 2 str)
        const n = i32();
        if (n < 0) throw fail('negative BINSTRING length');
        stack.push(new TextDecoder('latin1').decode(take(n)));
        break;
      }
      case 0x55: // SHORT_BINSTRING
        stack.push(new TextDecoder('latin1').decode(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()).slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(Object.freeze([]));
        break;
      case 0x74: // TUPLE
        stack.push(Object.freeze(popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(Object.freeze([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(Object.freeze([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(Object.freeze([pop(), b, c]));
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const value = pop();
        listOf(top(), fail).push(value);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        listOf(top(), fail).push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: // DICT
        stack.push(pairsToMap(popMark(), fail));
        break;
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        mapOf(top(), fail).set(key, value);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const target = mapOf(top(), fail);
        for (const [k, v] of pairsToMap(items, fail)) target.set(k, v);
        break;
      }
      case 0x68: // BINGET
        stack.push(memoGet(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(u32()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail('STACK_GLOBAL without two strings');
        stack.push(global(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        if (!(callable instanceof AllowedCallable)) throw fail('REDUCE on something that is not an allowed function');
        if (!Array.isArray(args)) throw fail(`${callable.qualifiedName} called without an argument tuple`);
        stack.push(callable.call(args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = top();
        const applied = options.build ? options.build(target, state) : target instanceof Map && state instanceof Map;
        if (!applied) throw fail('BUILD on an object this reader does not construct');
        break;
      }
      case 0x51: {
        // BINPERSID
        if (!options.persistentLoad) throw fail('a persistent id where none is expected');
        stack.push(options.persistentLoad(pop()));
        break;
      }
      default:
        throw fail(`opcode 0x${op.toString(16).padStart(2, '0')} is not one a state_dict uses (refused)`);
    }
  }
}

function listOf(value: PickleValue, fail: (why: string) => Error): PickleValue[] {
  if (!Array.isArray(value) || Object.isFrozen(value)) throw fail('APPEND to something that is not a list');
  return value;
}

function mapOf(value: PickleValue, fail: (why: string) => Error): Map<PickleValue, PickleValue> {
  if (!(value instanceof Map)) throw fail('SETITEM on something that is not a dict');
  return value;
}

function pairsToMap(items: PickleValue[], fail: (why: string) => Error): Map<PickleValue, PickleValue> {
  if (items.length % 2) throw fail('a dict with an odd number of items');
  const map = new Map<PickleValue, PickleValue>();
  for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
  return map;
}

/** Two's-complement little-endian bytes → number (bigint beyond 2^53). */
function littleEndianInteger(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
