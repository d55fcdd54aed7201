import { describe, expect, it } from 'vitest';
import { seedOfImage } from './random';

describe('seedOfImage', () => {
  it('follows the server: seed, seed + 1, … wrapping to 0 after 4294967295', () => {
    expect([0, 1, 2].map((i) => seedOfImage(42, i))).toEqual([42, 43, 44]);
    expect([0, 1, 2].map((i) => seedOfImage(4_294_967_294, i))).toEqual([
      4_294_967_294, 4_294_967_295, 0,
    ]);
  });
});
