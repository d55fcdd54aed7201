import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { useImage } from '../../../lib/images';
import { makeImage } from '../../../test/fixtures';
import { fakeServer, makeCollection } from '../../../test/fakeServer';
import { renderWithProviders } from '../../../test/utils';
import type { Image } from '../../../types/api';
import { CollectionPicker } from './CollectionPicker';

const trips = makeCollection('trips', { name: 'Trips', updated_at: '2026-11-22T00:00:00Z' });
const cats = makeCollection('cats', { name: 'Cats', updated_at: '2026-11-21T00:00:00Z' });

function renderPicker(images: Image[], onClose = vi.fn()) {
  renderWithProviders(
    <Routes>
      <Route path="/" element={<CollectionPicker images={images} onClose={onClose} />} />
      <Route path="/collections/:id" element={<h1>The collection</h1>} />
    </Routes>,
  );
  return onClose;
}

/** The picker for one image, as the detail view shows it: the image read live from the cache. */
function OneImage({ id }: { id: string }) {
  const image = useImage(id).data;
  const [open, setOpen] = useState(true);
  return image && open ? (
    <CollectionPicker images={[image]} onClose={() => setOpen(false)} />
  ) : null;
}

describe('The add-to-collection picker', () => {
  it('adds several images to a collection picked from the list, and says so with a way there', async () => {
    const server = fakeServer({ collections: [trips, cats] });
    const user = userEvent.setup();
    const onClose = renderPicker([makeImage('a'), makeImage('b')]);
    const dialog = screen.getByRole('dialog', { name: 'Add 2 images to a collection' });
    const list = await within(dialog).findByRole('list', { name: 'Your collections' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Trips0 images', 'Cats0 images']);

    await user.click(within(list).getByRole('button', { name: /Trips/ }));
    expect(onClose).toHaveBeenCalled();
    expect(await screen.findByText('Added 2 images to Trips.')).toBeInTheDocument();
    expect(server.bulk()).toEqual([
      { action: 'add_to_collection', ids: ['a', 'b'], collection_id: 'trips' },
    ]);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(await screen.findByRole('heading', { name: 'The collection' })).toBeVisible();
  });

  it('finds collections by name as you type', async () => {
    fakeServer({ collections: [trips, cats] });
    const user = userEvent.setup();
    renderPicker([makeImage('a'), makeImage('b')]);
    const input = screen.getByLabelText('Find a collection, or name a new one');
    expect(input).toHaveFocus();
    await screen.findByRole('button', { name: /Cats/ });
    await user.type(input, 'ca');
    const list = screen.getByRole('list', { name: 'Your collections' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Cats0 images', 'Create “ca”']);
  });

  it('creates a collection from a new name on Enter, then adds the images to it', async () => {
    const server = fakeServer({ collections: [trips] });
    const user = userEvent.setup();
    const onClose = renderPicker([makeImage('a'), makeImage('b'), makeImage('c')]);
    await screen.findByRole('button', { name: /Trips/ });
    await user.type(
      screen.getByLabelText('Find a collection, or name a new one'),
      'Road trip{Enter}',
    );

    expect(await screen.findByText('Added 3 images to Road trip.')).toBeInTheDocument();
    expect(onClose).toHaveBeenCalled();
    const created = server.collections.find((c) => c.name === 'Road trip')!;
    expect(
      server.api.requests.find((r) => r.method === 'POST' && r.url === '/collections')?.data,
    ).toEqual({
      name: 'Road trip',
    });
    expect(server.bulk()).toEqual([
      { action: 'add_to_collection', ids: ['a', 'b', 'c'], collection_id: created.id },
    ]);
  });

  it('says on the box why a new name will not do', async () => {
    const server = fakeServer({ collections: [trips] });
    const user = userEvent.setup();
    const onClose = renderPicker([makeImage('a'), makeImage('b')]);
    await screen.findByRole('button', { name: /Trips/ });
    const input = screen.getByLabelText('Find a collection, or name a new one');
    await user.type(input, `${'x'.repeat(81)}{Enter}`);
    expect(input).toHaveAccessibleDescription('Keep the name to 80 characters.');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(onClose).not.toHaveBeenCalled();
    expect(server.api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('for one image, ticks the collections holding it; unticking takes it out, ticking puts it in', async () => {
    const server = fakeServer({
      images: [makeImage('a', { collection_ids: ['trips'] })],
      collections: [trips, cats],
    });
    const user = userEvent.setup();
    renderWithProviders(<OneImage id="a" />);
    const dialog = await screen.findByRole('dialog', { name: 'Collections' });
    const tripsBox = await within(dialog).findByRole('checkbox', { name: /Trips/ });
    const catsBox = within(dialog).getByRole('checkbox', { name: /Cats/ });
    expect(tripsBox).toBeChecked();
    expect(catsBox).not.toBeChecked();

    await user.click(catsBox);
    expect(catsBox).toBeChecked();
    expect(await screen.findByText('Added to Cats.')).toBeInTheDocument();
    await user.click(tripsBox);
    expect(tripsBox).not.toBeChecked();
    expect(await screen.findByText('Removed from Trips.')).toBeInTheDocument();
    await waitFor(() => expect(server.images[0]!.collection_ids).toEqual(['cats']));
    expect(server.bulk()).toEqual([
      { action: 'add_to_collection', ids: ['a'], collection_id: 'cats' },
      { action: 'remove_from_collection', ids: ['a'], collection_id: 'trips' },
    ]);

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
