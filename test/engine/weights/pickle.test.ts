import { describe, expect, it } from 'vitest';
import { AllowedCallable, unpickle } from '../../../src/engine/weights/pickle';
import { findTorchGlobal } from '../../../src/engine/weights/torch-pickle';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

const refuse = (module: string, name: string): never => {
  throw new Error(`refused ${module}.${name}`);
};

describe('unpickle', () => {
  it('builds dicts, lists, tuples, ints, floats, strings and memo references', () => {
    // {'a': [1, 300, -2, 70000], 'b': (1.5, True, None), 'c': <memo of the list>}
    const value = unpickle(
      bytes(
        [0x80, 2, 0x7d, 0x71, 0],
        '(',
        [0x58, 1, 0, 0, 0],
        'a',
        [0x5d, 0x71, 1],
        '(',
        [0x4b, 1, 0x4d, 0x2c, 0x01, 0x4a, 0xfe, 0xff, 0xff, 0xff, 0x4a, 0x70, 0x11, 0x01, 0],
        'e',
        [0x8c, 1],
        'b',
        [0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x88, 0x4e, 0x87],
        [0x8c, 1],
        'c',
        [0x68, 1],
        'u.',
      ),
      { findGlobal: refuse },
    ) as Map<string, unknown>;
    expect(value.get('a')).toEqual([1, 300, -2, 70000]);
    expect(value.get('b')).toEqual([1.5, true, null]);
    expect(Object.isFrozen(value.get('b'))).toBe(true);
    expect(value.get('c')).toBe(value.get('a'));
  });

  it('calls only the allowed functions the caller offers, with the pickled arguments', () => {
    const calls: unknown[] = [];
    const value = unpickle(bytes([0x80, 2], 'cmy\nfn\n', [0x4b, 5, 0x85], 'R.'), {
      findGlobal: (m, n) => new AllowedCallable(`${m}.${n}`, (args) => (calls.push(args), 'built')),
    });
    expect(value).toBe('built');
    expect(calls).toEqual([[5]]);
  });

  it.each([
    ['builtins.eval via GLOBAL', bytes([0x80, 2], 'cbuiltins\neval\n', [0x29], 'R.'), /file asks for builtins\.eval/],
    [
      'os.system via STACK_GLOBAL',
      bytes([0x80, 4, 0x8c, 2], 'os', [0x8c, 6], 'system', [0x93, 0x29], 'R.'),
      /file asks for os\.system/,
    ],
    ['subprocess via INST (a protocol-0 opcode)', bytes('isubprocess\nPopen\n.'), /opcode 0x69 is not one a state_dict uses/],
    ['REDUCE on a plain value', bytes([0x80, 2, 0x4b, 1, 0x29], 'R.'), /REDUCE on something that is not an allowed function/],
    ['BUILD on a list', bytes([0x80, 2, 0x5d, 0x7d], 'b.'), /BUILD on an object/],
    ['a memo entry never stored', bytes([0x80, 2, 0x68, 9], '.'), /memo entry 9 was never stored/],
    ['a string longer than the file', bytes([0x80, 2, 0x58, 0xff, 0xff, 0, 0], 'abc.'), /ends too early/],
    ['an unbalanced stack at STOP', bytes([0x80, 2, 0x4e, 0x4e], '.'), /unbalanced stack/],
    ['a missing STOP', bytes([0x80, 2, 0x4e]), /ends too early/],
    ['a persistent id nobody expects', bytes([0x80, 2, 0x4e, 0x51], '.'), /persistent id where none is expected/],
  ])('refuses %s', (_name, pickle, message) => {
    expect(() => unpickle(pickle, { findGlobal: findTorchGlobal })).toThrow(message);
  });
});
