import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer } from '../../../test/fakeServer';
import { renderWithProviders, testMe } from '../../../test/utils';
import GalleryPage from './Gallery';
import GalleryDetailPage from './GalleryDetail';

/** Lays the grid's tiles out `columns` to a row (jsdom lays nothing out). */
function layOut(columns: number) {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (
    this: HTMLElement,
  ) {
    const parent = this.parentElement;
    const index = this.tagName === 'LI' && parent ? [...parent.children].indexOf(this) : 0;
    const top = Math.floor(index / columns) * 200;
    const left = (index % columns) * 200;
    return DOMRect.fromRect({ x: left, y: top, width: 190, height: 190 });
  });
}

function renderGallery() {
  const view = renderWithProviders(
    <Routes>
      <Route path="/gallery" element={<GalleryPage />}>
        <Route path=":id" element={<GalleryDetailPage />} />
      </Route>
    </Routes>,
    { route: '/gallery' },
  );
  view.client.setQueryData(['me'], testMe);
  return view;
}

const tile = (id: string) => screen.getByRole('link', { name: `prompt ${id}` });

afterEach(() => vi.restoreAllMocks());

describe('Moving through the gallery with the keyboard', () => {
  it('←/→ move by one tile and ↑/↓ by a row of the grid as laid out', async () => {
    fakeServer();
    layOut(2);
    const user = userEvent.setup();
    renderGallery();
    // e d
    // c b
    // a
    await screen.findByRole('link', { name: 'prompt e' });
    tile('e').focus();
    await user.keyboard('{ArrowRight}');
    expect(tile('d')).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(tile('b')).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(tile('c')).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(tile('e')).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowLeft}');
    expect(tile('e')).toHaveFocus();
    // Down from the row above a shorter last row lands on its last tile.
    await user.keyboard('{ArrowRight}{ArrowDown}{ArrowDown}');
    expect(tile('a')).toHaveFocus();
    await user.keyboard('{ArrowDown}{ArrowRight}');
    expect(tile('a')).toHaveFocus();
  });

  it('follows the layout: four to a row, ↓ moves four tiles on', async () => {
    fakeServer();
    layOut(4);
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('link', { name: 'prompt e' });
    tile('d').focus();
    await user.keyboard('{ArrowDown}');
    expect(tile('a')).toHaveFocus();
  });

  it('moves from a tile’s checkbox too, and leaves the search box alone', async () => {
    fakeServer();
    layOut(2);
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('link', { name: 'prompt e' });
    screen.getByRole('checkbox', { name: 'Select image: prompt e' }).focus();
    await user.keyboard('{ArrowDown}');
    expect(tile('c')).toHaveFocus();

    const search = screen.getByLabelText('Search your images by prompt');
    await user.click(search);
    await user.keyboard('{ArrowDown}f');
    expect(search).toHaveFocus();
    expect(search).toHaveValue('f');
  });

  it('F favourites the focused image, and F again takes the heart back', async () => {
    const server = fakeServer();
    layOut(2);
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('link', { name: 'prompt e' });
    tile('c').focus();
    await user.keyboard('f');
    const heart = within(tile('c').closest('li')!).getByRole('button', { name: 'Favourite' });
    expect(heart).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(server.images.find((i) => i.id === 'c')!.favorite).toBe(true));
    await user.keyboard('f');
    await waitFor(() => expect(heart).toHaveAttribute('aria-pressed', 'false'));
    await waitFor(() => expect(server.images.find((i) => i.id === 'c')!.favorite).toBe(false));
  });

  it('lists the arrow keys and F among the shortcuts', async () => {
    fakeServer();
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('link', { name: 'prompt e' });
    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Move between images in the grid')).toBeVisible();
    expect(within(dialog).getByText('Favourite or unfavourite the focused image')).toBeVisible();
  });
});
