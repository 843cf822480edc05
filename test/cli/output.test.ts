import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressLine } from '../../src/cli/output';

const wasTty = process.stderr.isTTY;
let written: string[];

beforeEach(() => {
  written = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  process.stderr.isTTY = wasTty;
});

describe('createProgressLine (progress on a TTY)', () => {
  it('redraws one stderr line on a terminal, at most every 100 ms, and clears it when done', () => {
    process.stderr.isTTY = true;
    const line = createProgressLine('run #3');
    line.update('epoch 1/2 [##........]');
    line.update('epoch 1/2 [###.......]');
    vi.setSystemTime(1_000_100);
    line.update('epoch 1/2 [####......]');
    line.done();
    expect(written).toEqual(['\r\x1b[2Krun #3 epoch 1/2 [##........]', '\r\x1b[2Krun #3 epoch 1/2 [####......]', '\r\x1b[2K']);
  });

  it('writes nothing when stderr is not a terminal (pipes, logs, --json runs)', () => {
    process.stderr.isTTY = false;
    const line = createProgressLine('sweep #1');
    line.update('K_test 24 (1/3)');
    line.done();
    expect(written).toEqual([]);
  });
});
