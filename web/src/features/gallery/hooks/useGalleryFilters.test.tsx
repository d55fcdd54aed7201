import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { Providers } from '../../../test/utils';
import { useGalleryFilters } from './useGalleryFilters';

function renderFilters(route: string) {
  return renderHook(() => useGalleryFilters(), {
    wrapper: ({ children }: { children: ReactNode }) => (
      <Providers route={route}>{children}</Providers>
    ),
  });
}

describe('useGalleryFilters', () => {
  it('starts from the URL', () => {
    const { result } = renderFilters('/gallery?q=koi&favorites=1');
    expect(result.current).toMatchObject({
      text: 'koi',
      query: 'koi',
      favorite: true,
      filtered: true,
    });
  });

  it('puts the trimmed search into the URL once typing pauses', async () => {
    const { result } = renderFilters('/gallery');
    act(() => result.current.setText('  lighthouse '));
    expect(result.current.query).toBe('');
    await waitFor(() => expect(result.current.query).toBe('lighthouse'));
    expect(result.current.filtered).toBe(true);
  });

  it('toggles favourites and clears every filter', async () => {
    const { result } = renderFilters('/gallery?q=koi');
    act(() => result.current.toggleFavorites());
    expect(result.current.favorite).toBe(true);
    act(() => result.current.clear());
    expect(result.current).toMatchObject({ text: '', favorite: false });
    await waitFor(() =>
      expect(result.current).toMatchObject({ query: '', favorite: false, filtered: false }),
    );
  });
});
