import { describe, expect, it } from 'vitest';
import { safeNext } from './safeNext';

describe('safeNext', () => {
  it('keeps a path on this site, with its query and hash', () => {
    expect(safeNext('/gallery/abc?q=koi#top')).toBe('/gallery/abc?q=koi#top');
  });

  it.each([
    ['https://evil.com/'],
    ['//evil.com'],
    ['/\\evil.com'],
    ['/%09/evil.com'],
    ['/\t/evil.com'],
    ['/\n/evil.com'],
    ['\\/evil.com'],
    ['javascript:alert(1)'],
    ['gallery'],
  ])('refuses %j', (value) => {
    expect(safeNext(value)).toBe('/generate');
  });

  it('falls back when there is nothing', () => {
    expect(safeNext(null, '/')).toBe('/');
  });
});
