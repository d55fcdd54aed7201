import { describe, expect, it } from 'vitest';
import { mockApi, problem } from '../test/utils';
import type { BulkRequest } from '../types/api';
import { couldNotBe } from './bulkText';
import { runBulk } from './bulk';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);

describe('runBulk', () => {
  it('sends one request for up to 100 ids, include_favorites only with trash', async () => {
    const api = mockApi((req) => ({
      data: { succeeded: (req.data as BulkRequest).ids, failed: [] },
    }));
    await runBulk('favorite', ['a', 'b']);
    await runBulk('trash', ids(100), { includeFavorites: true });
    expect(api.requests.map((r) => [r.method, r.url, r.data])).toEqual([
      ['POST', '/images/bulk', { action: 'favorite', ids: ['a', 'b'] }],
      ['POST', '/images/bulk', { action: 'trash', ids: ids(100), include_favorites: true }],
    ]);
  });

  it('splits more than 100 ids into requests of 100, and adds up what they say', async () => {
    const api = mockApi((req) => {
      const [first, ...rest] = (req.data as BulkRequest).ids;
      return { data: { succeeded: rest, failed: [{ id: first, code: 'not_found' }] } };
    });
    const outcome = await runBulk('restore', ids(150));
    expect(api.requests.map((r) => (r.data as BulkRequest).ids)).toEqual([
      ids(100),
      ids(150).slice(100),
    ]);
    expect(outcome.succeeded).toHaveLength(148);
    expect(outcome.failed).toEqual([
      { id: 'id0', code: 'not_found' },
      { id: 'id100', code: 'not_found' },
    ]);
  });

  it('fails as a whole when the first request fails', async () => {
    mockApi(() => problem(503, 'internal_error', 'Down.'));
    await expect(runBulk('delete', ids(150))).rejects.toThrow();
  });

  it('after a request that went through, reports the rest as failed with the reason', async () => {
    let n = 0;
    mockApi((req) =>
      n++ === 0
        ? { data: { succeeded: (req.data as BulkRequest).ids, failed: [] } }
        : problem(429, 'rate_limited', 'Slow down.'),
    );
    const outcome = await runBulk('delete', ids(120));
    expect(outcome.succeeded).toEqual(ids(100));
    expect(outcome.failed).toEqual(
      ids(120)
        .slice(100)
        .map((id) => ({ id, code: 'rate_limited' })),
    );
  });
});

describe('couldNotBe', () => {
  it('names one reason plainly and counts each of several', () => {
    expect(couldNotBe([{ id: 'a', code: 'not_found' }])).toBe('1 could not be: not found');
    expect(
      couldNotBe([
        { id: 'a', code: 'not_found' },
        { id: 'b', code: 'favorite_protected' },
        { id: 'c', code: 'not_found' },
      ]),
    ).toBe('3 could not be: 2 not found, 1 a favourite');
    expect(
      couldNotBe([
        { id: 'a', code: 'favorite_protected' },
        { id: 'b', code: 'favorite_protected' },
      ]),
    ).toBe('2 could not be: favourites');
  });
});
