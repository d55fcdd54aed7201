import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderWithProviders } from '../../../test/utils';
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
    // No IntersectionObserver in jsdom: the button fallback is there.
    expect(screen.getByRole('button', { name: 'Load more' })).toBeInTheDocument();
  });
});
