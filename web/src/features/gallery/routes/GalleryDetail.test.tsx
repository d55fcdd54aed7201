import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import { renderWithDetail } from '../../../test/routes';
import { makeConfig, mockApi } from '../../../test/utils';
import GalleryPage from './Gallery';

const renderGallery = (route: string) => renderWithDetail(<GalleryPage />, { route });

/** Search results for "fox": a, b and c, then d on the next page. */
function foxServer() {
  return mockApi((req) => {
    if (req.url === '/config') return { data: makeConfig() };
    if (req.url === '/images') {
      if (req.params.q !== 'fox') return { data: { items: [], next_cursor: null } };
      return req.params.cursor === 'p2'
        ? { data: { items: [makeImage('d')], next_cursor: null } }
        : { data: { items: ['a', 'b', 'c'].map((id) => makeImage(id)), next_cursor: 'p2' } };
    }
    return { data: makeImage(req.url.split('/').pop()!) };
  });
}

const shown = () => screen.getByTestId('detail-prompt');

describe('Image detail navigation', () => {
  it('steps through the search results with buttons and arrow keys, loading the next page', async () => {
    const api = foxServer();
    const user = userEvent.setup();
    renderGallery('/gallery?q=fox');
    await user.click(await screen.findByRole('link', { name: 'prompt b' }));
    await screen.findByRole('dialog', { name: 'Image details' });
    expect(shown()).toHaveTextContent('prompt b');

    await user.keyboard('{ArrowRight}');
    expect(shown()).toHaveTextContent('prompt c');
    expect(screen.getByTestId('where')).toHaveTextContent('/gallery/c?q=fox');

    // Past the last loaded image: the next page of the same search.
    await user.click(screen.getByRole('button', { name: 'Next image' }));
    await waitFor(() => expect(shown()).toHaveTextContent('prompt d'));
    expect(api.requests.find((r) => r.params.cursor === 'p2')?.params.q).toBe('fox');
    expect(screen.getByRole('button', { name: 'Next image' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );

    await user.click(screen.getByRole('button', { name: 'Previous image' }));
    expect(shown()).toHaveTextContent('prompt c');
    expect(screen.getByRole('button', { name: 'Previous image' })).toHaveFocus();
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(shown()).toHaveTextContent('prompt a');
    expect(screen.getByRole('button', { name: 'Previous image' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('closes back to the list, and Back does not open the image again', async () => {
    foxServer();
    const user = userEvent.setup();
    renderGallery('/gallery?q=fox');
    await user.click(await screen.findByRole('link', { name: 'prompt a' }));
    await screen.findByRole('dialog', { name: 'Image details' });
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(shown()).toHaveTextContent('prompt c');

    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('where')).toHaveTextContent(/^\/gallery\?q=fox$/);
    // Focus is on the image last shown, not the one first opened.
    expect(screen.getByRole('link', { name: 'prompt c' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Browser back' }));
    expect(screen.getByTestId('where')).toHaveTextContent(/^\/gallery\?q=fox$/);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
