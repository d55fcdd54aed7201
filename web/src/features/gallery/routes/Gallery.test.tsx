import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import { mockApi, problem, renderWithProviders } from '../../../test/utils';
import GalleryPage from './Gallery';

describe('Gallery page', () => {
  it('leads an empty gallery to Generate', async () => {
    mockApi(() => ({ data: { items: [], next_cursor: null } }));
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    expect(await screen.findByText('Your gallery is empty')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Generate your first image' })).toHaveAttribute(
      'href',
      '/generate',
    );
  });

  it('renders thumbnails with their size, placeholder colour and prompt as alt text', async () => {
    mockApi(() => ({
      data: {
        items: [
          {
            id: 'a1',
            generation_id: 'g',
            prompt: 'a koi pond',
            negative_prompt: null,
            model: 'm',
            provider: 'offline',
            width: 1024,
            height: 768,
            steps: 4,
            seed: 3,
            style: 'none',
            created_at: '2026-11-26T08:00:00Z',
            favorite: true,
            content_type: 'image/jpeg',
            bytes: 10,
            url: '/u',
            thumbnail_url: '/t',
            thumbnail_width: 512,
            thumbnail_height: 384,
            placeholder: '#5a6b7c',
          },
        ],
        next_cursor: 'more',
      },
    }));
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    const img = await screen.findByRole('img', { name: 'a koi pond' });
    expect(img).toHaveAttribute('width', '512');
    expect(img).toHaveAttribute('height', '384');
    expect(img).toHaveStyle({ backgroundColor: '#5a6b7c' });
    expect(screen.getByRole('link', { name: 'a koi pond' })).toHaveAttribute('href', '/gallery/a1');
    expect(screen.getByRole('button', { name: 'Favourite' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    // Prompts are not re-read to screen readers whenever the grid changes.
    expect(screen.getByRole('list', { name: 'Your images' }).closest('[aria-live]')).toBeNull();
    // No IntersectionObserver in jsdom: the button fallback is there.
    expect(screen.getByRole('button', { name: 'Load more' })).toBeInTheDocument();
  });
});

describe('Gallery page when a request fails', () => {
  it('keeps the grid and shows the error next to "Load more" when the next page fails', async () => {
    mockApi((req) =>
      req.params.cursor === 'page-2'
        ? problem(500, 'server_error', 'The server broke.')
        : { data: { items: [makeImage('a'), makeImage('b')], next_cursor: 'page-2' } },
    );
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    await screen.findByRole('img', { name: 'prompt a' });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByText("Couldn't load more images")).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'prompt a' })).toBeInTheDocument();
    expect(screen.queryByText("Couldn't load your gallery")).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load more' })).toBeInTheDocument();
  });

  it('keeps the images it has when a background refetch fails', async () => {
    let fail = false;
    mockApi(() =>
      fail
        ? problem(503, 'server_error', 'Down for a moment.')
        : { data: { items: [makeImage('a')], next_cursor: null } },
    );
    const { client } = renderWithProviders(<GalleryPage />, { route: '/gallery' });
    await screen.findByRole('img', { name: 'prompt a' });
    fail = true;
    await act(() => client.refetchQueries({ queryKey: ['images', 'list'] }));

    expect(screen.getByRole('img', { name: 'prompt a' })).toBeInTheDocument();
    expect(screen.queryByText("Couldn't load your gallery")).not.toBeInTheDocument();
  });
});

describe('Gallery filters', () => {
  it('"Clear filters" goes straight to the whole gallery, with no second search request', async () => {
    const api = mockApi((req) =>
      req.params.q
        ? { data: { items: [], next_cursor: null } }
        : { data: { items: [makeImage('a')], next_cursor: null } },
    );
    renderWithProviders(<GalleryPage />, { route: '/gallery?q=koi' });
    await userEvent.click(await screen.findByRole('button', { name: 'Clear filters' }));
    await screen.findByRole('img', { name: 'prompt a' });

    // Wait out the search box's debounce: the old search must not come back.
    await act(() => new Promise((resolve) => setTimeout(resolve, 450)));
    expect(screen.queryByText('No images match')).not.toBeInTheDocument();
    expect(api.requests.filter((r) => r.params.q === 'koi')).toHaveLength(1);
  });

  it('a link to /gallery clears the search box and the search', async () => {
    const api = mockApi((req) =>
      req.params.q
        ? { data: { items: [], next_cursor: null } }
        : { data: { items: [makeImage('a')], next_cursor: null } },
    );
    renderWithProviders(
      <>
        <Link to="/gallery">Gallery</Link>
        <GalleryPage />
      </>,
      { route: '/gallery?q=koi' },
    );
    await screen.findByText('No images match');
    await userEvent.click(screen.getByRole('link', { name: 'Gallery' }));

    await screen.findByRole('img', { name: 'prompt a' });
    expect(screen.getByRole('searchbox')).toHaveValue('');
    await act(() => new Promise((resolve) => setTimeout(resolve, 450)));
    expect(screen.getByRole('img', { name: 'prompt a' })).toBeInTheDocument();
    expect(api.requests.filter((r) => r.params.q === 'koi')).toHaveLength(1);
  });
});

describe('Gallery with expiring image links', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A server that signs links for ten minutes from now, numbering each answer. */
  function signingServer() {
    let answers = 0;
    const api = mockApi(() => {
      answers += 1;
      const exp = Math.floor(Date.now() / 1000) + 600;
      return {
        data: {
          items: [
            makeImage('a', { thumbnail_url: `/api/media/a.thumb.jpg?exp=${exp}&v=${answers}` }),
          ],
          next_cursor: null,
        },
      };
    });
    return api;
  }

  it('loads fresh links before the ones shown expire, with nobody touching the page', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = signingServer();
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    const img = await screen.findByRole('img', { name: 'prompt a' });
    expect(img.getAttribute('src')).toContain('v=1');

    // Five minutes before the links expire, and not long before.
    await act(() => vi.advanceTimersByTimeAsync(4 * 60_000));
    expect(api.requests).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(60_000 + 1000));
    await waitFor(() => expect(api.requests).toHaveLength(2));
    await waitFor(() =>
      expect(screen.getByRole('img', { name: 'prompt a' }).getAttribute('src')).toContain('v=2'),
    );
  });

  it('a thumbnail that fails to load refetches the page once, then offers Retry', async () => {
    const api = signingServer();
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    fireEvent.error(await screen.findByRole('img', { name: 'prompt a' }));

    await waitFor(() => expect(api.requests).toHaveLength(2));
    const again = await screen.findByRole('img', { name: 'prompt a' });
    await waitFor(() => expect(again.getAttribute('src')).toContain('v=2'));
    fireEvent.error(again);

    const retry = await screen.findByRole('button', { name: 'Retry loading the image' });
    expect(screen.queryByRole('img', { name: 'prompt a' })).not.toBeInTheDocument();
    // The Retry button is not nested inside the tile's link.
    expect(retry.closest('a')).toBeNull();
    await userEvent.click(retry);
    expect(await screen.findByRole('img', { name: 'prompt a' })).toBeInTheDocument();
    expect(api.requests).toHaveLength(3);
  });
});
