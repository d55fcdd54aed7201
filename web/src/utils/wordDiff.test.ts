import { describe, expect, it } from 'vitest';
import { diffWords } from './wordDiff';

describe('diffWords', () => {
  it('marks the words a prompt adds and the first prompt’s words it lacks', () => {
    expect(diffWords('a lighthouse at dusk', 'a red lighthouse at night')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'added', text: 'red' },
      { kind: 'same', text: 'lighthouse at' },
      { kind: 'removed', text: 'dusk' },
      { kind: 'added', text: 'night' },
    ]);
  });

  it('is the same for the same words in another order, case or punctuation', () => {
    expect(diffWords('Oil painting, lighthouse', 'lighthouse oil painting')).toEqual([
      { kind: 'same', text: 'lighthouse oil painting' },
    ]);
  });

  it('handles empty prompts on either side', () => {
    expect(diffWords('', 'a cat')).toEqual([{ kind: 'added', text: 'a cat' }]);
    expect(diffWords('a cat', '')).toEqual([{ kind: 'removed', text: 'a cat' }]);
    expect(diffWords('', '')).toEqual([]);
  });
});
