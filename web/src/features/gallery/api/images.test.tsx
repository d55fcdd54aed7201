import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { mockApi, testQueryClient } from '../../../test/utils';
import { makeImage as image } from '../../../test/fixtures';
import { useGallery } from './images';

describe('useGallery', () => {
  it('fetches the next page with the cursor the server returned', async () => {
    const api = mockApi((req) =>
      req.params.cursor === 'cursor-2'
        ? { data: { items: [image('c')], next_cursor: null } }
        : { data: { items: [image('a'), image('b')], next_cursor: 'cursor-2' } },
    );
    const client = testQueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );

    const { result } = renderHook(() => useGallery({ q: 'fox', favorite: true }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.hasNextPage).toBe(true);
    expect(api.requests[0]).toMatchObject({
      method: 'GET',
      url: '/images',
      params: { limit: '24', q: 'fox', favorite: 'true' },
    });
    expect(api.requests[0]?.params.cursor).toBeUndefined();

    await act(() => result.current.fetchNextPage());
    await waitFor(() => expect(result.current.data?.pages).toHaveLength(2));
    expect(api.requests[1]?.params).toMatchObject({
      cursor: 'cursor-2',
      q: 'fox',
      favorite: 'true',
    });
    expect(result.current.data?.pages.flatMap((p) => p.items.map((i) => i.id))).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(result.current.hasNextPage).toBe(false);
  });

  it('omits empty filters', async () => {
    const api = mockApi(() => ({ data: { items: [], next_cursor: null } }));
    const client = testQueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    const { result } = renderHook(() => useGallery({ q: '   ' }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(api.requests[0]?.params).toEqual({ limit: '24' });
    expect(result.current.hasNextPage).toBe(false);
  });
});
