import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import { fakeServer, makeCollection } from '../../../test/fakeServer';
import { renderWithProviders } from '../../../test/utils';
import CollectionsPage from './Collections';

function renderPage() {
  return renderWithProviders(
    <Routes>
      <Route path="/collections" element={<CollectionsPage />} />
      <Route path="/collections/:id" element={<p>A collection</p>} />
    </Routes>,
    { route: '/collections' },
  );
}

const cards = () =>
  within(screen.getByRole('list', { name: 'Your collections' }))
    .getAllByRole('link')
    .map((link) => link.textContent);

describe('The Collections page', () => {
  it('shows each collection as a cover card with its name and count, most recently changed first', async () => {
    fakeServer({
      images: [
        makeImage('x', { collection_ids: ['trips'] }),
        makeImage('y', { collection_ids: ['trips', 'cats'] }),
      ],
      collections: [
        makeCollection('cats', { name: 'Cats', updated_at: '2026-11-21T00:00:00Z' }),
        makeCollection('trips', { name: 'Trips', updated_at: '2026-11-22T00:00:00Z' }),
        makeCollection('empty', { name: 'Someday', updated_at: '2026-11-20T00:00:00Z' }),
      ],
    });
    renderPage();
    await screen.findByRole('list', { name: 'Your collections' });
    expect(cards()).toEqual(['Trips2 images', 'Cats1 image', 'Someday0 images']);
    const trips = screen.getByRole('link', { name: /Trips/ });
    expect(trips).toHaveAttribute('href', '/collections/trips');
    // The cover (the newest image) over its placeholder colour; decorative beside the name.
    const cover = trips.querySelector('img')!;
    expect(cover).toHaveAttribute('src', '/media/x.thumb.jpg');
    expect(cover).toHaveAttribute('alt', '');
    expect(cover.style.backgroundColor).not.toBe('');
    expect(screen.getByRole('link', { name: /Someday/ }).querySelector('img')).toBeNull();
  });

  it('explains what collections are for when there are none', async () => {
    fakeServer();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'No collections yet' })).toBeVisible();
    expect(screen.getByText(/gather images that belong together/)).toBeVisible();
    expect(screen.getByRole('link', { name: 'Go to the gallery' })).toHaveAttribute(
      'href',
      '/gallery',
    );
  });

  it('creates a collection, showing a name already taken on the name field', async () => {
    const server = fakeServer({ collections: [makeCollection('trips', { name: 'Trips' })] });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'New collection' }));
    const dialog = screen.getByRole('dialog', { name: 'New collection' });
    const name = within(dialog).getByLabelText('Name');
    expect(name).toHaveFocus();

    // Nothing typed: said at once, without asking the server.
    await user.click(within(dialog).getByRole('button', { name: 'Create collection' }));
    expect(name).toHaveAccessibleDescription('Give the collection a name.');
    expect(server.api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await user.type(name, 'trips');
    await user.click(within(dialog).getByRole('button', { name: 'Create collection' }));
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription('You already have a collection called “trips”.');
    expect(name).toHaveFocus();
    expect(screen.getByRole('dialog', { name: 'New collection' })).toBeInTheDocument();

    await user.clear(name);
    await user.type(name, 'Cats');
    await user.type(within(dialog).getByLabelText('Description (optional)'), 'Mostly naps');
    await user.click(within(dialog).getByRole('button', { name: 'Create collection' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'New collection' })).not.toBeInTheDocument(),
    );
    expect(server.api.requests.filter((r) => r.method === 'POST').at(-1)?.data).toEqual({
      name: 'Cats',
      description: 'Mostly naps',
    });
    expect(cards()[0]).toBe('Cats0 images');
    expect(screen.getByRole('link', { name: /Cats/ })).toHaveFocus();
    expect(await screen.findByText('Created the collection “Cats”.')).toBeInTheDocument();
  });

  it('shows the server’s validation message on its field', async () => {
    fakeServer({
      answer: (req) =>
        req.method === 'POST' && req.url === '/collections'
          ? {
              status: 422,
              data: {
                title: 'Unprocessable Entity',
                status: 422,
                code: 'invalid_request',
                detail: 'Check the fields.',
                errors: [{ field: 'description', message: 'At most 500 characters.' }],
              },
            }
          : undefined,
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'New collection' }));
    const dialog = screen.getByRole('dialog', { name: 'New collection' });
    await user.type(within(dialog).getByLabelText('Name'), 'Trips');
    await user.type(within(dialog).getByLabelText('Description (optional)'), 'Long');
    await user.click(within(dialog).getByRole('button', { name: 'Create collection' }));
    const description = within(dialog).getByLabelText('Description (optional)');
    await waitFor(() => expect(description).toHaveAccessibleDescription('At most 500 characters.'));
    expect(within(dialog).getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
  });
});
