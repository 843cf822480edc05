import { describe, expect, it } from 'vitest';
import { headFor } from '../../src/core/head-plan';

describe('headFor', () => {
  it('keeps a classifier whose class names are the dataset’s, in its order', () => {
    expect(headFor({ numClasses: 3, classNames: ['cat', 'dog', 'fox'] }, ['cat', 'dog', 'fox'], 1)).toEqual({ kind: 'keep' });
  });

  it('reorders a classifier whose names are the dataset’s in another order', () => {
    expect(headFor({ numClasses: 3, classNames: ['fox', 'cat', 'dog'] }, ['cat', 'dog', 'fox'], 1)).toEqual({
      kind: 'reorder',
      order: [1, 2, 0],
    });
  });

  it('keeps a nameless classifier of the right size as it is', () => {
    expect(headFor({ numClasses: 2, classNames: null }, ['a', 'b'], 1)).toEqual({ kind: 'keep' });
  });

  it('asks for a new, seeded classifier when the count or the names differ', () => {
    expect(headFor({ numClasses: 1000, classNames: null }, ['a', 'b'], 7)).toEqual({ kind: 'new', numClasses: 2, seed: 7 });
    expect(headFor({ numClasses: 2, classNames: ['a', 'c'] }, ['a', 'b'], 7)).toEqual({ kind: 'new', numClasses: 2, seed: 7 });
  });
});
