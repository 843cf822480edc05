import { describe, expect, it } from 'vitest';
import { durationText } from '../../src/shared/duration-text';

describe('durationText', () => {
  it('keeps a decimal below ten seconds and whole seconds up to a minute', () => {
    expect(durationText(4.24)).toBe('4.2 s');
    expect(durationText(42.4)).toBe('42 s');
  });

  it('rounds before splitting, so a duration a hair under a minute boundary never reads "7 min 60 s"', () => {
    expect(durationText(479.6)).toBe('8 min 00 s');
    expect(durationText(185)).toBe('3 min 05 s');
  });

  it('writes hours and minutes beyond an hour', () => {
    expect(durationText(2 * 3600 + 7 * 60 + 10)).toBe('2 h 07 min');
    expect(durationText(3599.6)).toBe('1 h 00 min');
  });
});
