import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../test/fixtures';
import { renderWithDetail } from '../../test/routes';
import { fakeServer, makeCollection, type FakeServerOptions } from '../../test/fakeServer';
import { problem, type MockResponse } from '../../test/utils';
import CollectionRoute from './Collection';

const renderCollection = (id = 'trips') =>
  renderWithDetail(<CollectionRoute />, {
    path: '/collections/:collectionId',
    route: `/collections/${id}`,
    routes: <Route path="/collections" element={<h1>All collections</h1>} />,
  });

/** Trips holds c, b and a; d and e are only in the gallery; Cats exists too. */
function tripsServer(answer?: FakeServerOptions['answer']) {
  return fakeServer({
    images: ['e', 'd', 'c', 'b', 'a'].map((id, n) =>
      makeImage(id, {
        created_at: `2026-11-26T08:0${5 - n}:00Z`,
        collection_ids: ['c', 'b', 'a'].includes(id) ? ['trips'] : [],
      }),
    ),
    collections: [
      makeCollection('trips', { name: 'Trips', description: 'Summer, mostly' }),
      makeCollection('cats', { name: 'Cats' }),
    ],
    answer,
  });
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

const shown = () =>
  screen.queryAllByTestId('gallery-item').map((a) => a.querySelector('img')?.getAttribute('alt'));
const count = () => screen.getByTestId('collection-count').textContent;

describe('A collection’s page', () => {
  it('shows its name, description and count above the gallery grid of its images only', async () => {
    const server = tripsServer();
    renderCollection();
    expect(await screen.findByRole('heading', { level: 1, name: 'Trips' })).toBeVisible();
    expect(screen.getByText('Summer, mostly')).toBeVisible();
    await waitFor(() => expect(shown()).toEqual(['prompt c', 'prompt b', 'prompt a']));
    expect(count()).toBe('3 images');
    expect(server.api.requests.find((r) => r.url === '/images')?.params.collection).toBe('trips');
    expect(screen.getByRole('link', { name: 'prompt b' })).toHaveAttribute(
      'href',
      '/collections/trips/b',
    );
    expect(screen.getByRole('list', { name: 'Images in this collection' })).toBeVisible();
  });

  it('opens an image over the collection, with the collections holding it, and makes it the cover', async () => {
    const server = tripsServer();
    const user = userEvent.setup();
    renderCollection();
    await user.click(await screen.findByRole('link', { name: 'prompt b' }));
    const dialog = await screen.findByRole('dialog', { name: 'Image details' });
    expect(screen.getByTestId('where')).toHaveTextContent('/collections/trips/b');
    const chips = await within(dialog).findByRole('list', {
      name: 'Collections holding this image',
    });
    expect(within(chips).getByRole('link', { name: 'Trips' })).toHaveAttribute(
      'href',
      '/collections/trips',
    );
    const cover = within(dialog).getByRole('button', { name: 'Set as cover' });
    expect(cover).toHaveAttribute('aria-pressed', 'false');
    await user.click(cover);
    await waitFor(() => expect(cover).toHaveAttribute('aria-pressed', 'true'));
    expect(await screen.findByText('Set as the cover of Trips.')).toBeInTheDocument();
    expect(server.collections[0]!.cover_image_id).toBe('b');
    expect(screen.getByRole('button', { name: 'Use newest image' })).toBeVisible();
    // Pressed again: back to the newest image.
    await user.click(cover);
    await waitFor(() => expect(cover).toHaveAttribute('aria-pressed', 'false'));
    await waitFor(() => expect(server.collections[0]!.cover_image_id).toBeNull());
    expect(screen.queryByRole('button', { name: 'Use newest image' })).not.toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.getByTestId('where')).toHaveTextContent('/collections/trips');
  });

  it('renames at once, and shows a name already taken on the field, putting the old name back', async () => {
    const hold = gate();
    const server = tripsServer((req) =>
      req.method === 'PATCH' ? hold.opened.then(() => undefined) : undefined,
    );
    const user = userEvent.setup();
    renderCollection();
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    let dialog = screen.getByRole('dialog', { name: 'Edit collection' });
    const name = within(dialog).getByLabelText('Name');
    expect(name).toHaveValue('Trips');
    expect(within(dialog).getByLabelText('Description (optional)')).toHaveValue('Summer, mostly');

    await user.clear(name);
    await user.type(name, 'Holidays');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    // Shown before the server has answered.
    expect(await screen.findByRole('heading', { level: 1, name: 'Holidays' })).toBeVisible();
    hold.open();
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Edit collection' })).not.toBeInTheDocument(),
    );
    expect(server.collections[0]!.name).toBe('Holidays');

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    dialog = screen.getByRole('dialog', { name: 'Edit collection' });
    await user.clear(within(dialog).getByLabelText('Name'));
    await user.type(within(dialog).getByLabelText('Name'), 'CATS');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Name')).toHaveAccessibleDescription(
        'You already have a collection called “CATS”.',
      ),
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Holidays' })).toBeVisible();
  });

  it('deletes after a question that says the images stay, then goes to the collections', async () => {
    const server = tripsServer();
    const user = userEvent.setup();
    renderCollection();
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const question = screen.getByRole('alertdialog', { name: 'Delete “Trips”?' });
    expect(question).toHaveAccessibleDescription(
      'Only the collection goes: its 3 images stay in your gallery.',
    );
    await user.click(within(question).getByRole('button', { name: 'Delete collection' }));
    expect(await screen.findByRole('heading', { name: 'All collections' })).toBeVisible();
    expect(screen.getByTestId('where')).toHaveTextContent(/^\/collections$/);
    expect(server.collections.map((c) => c.id)).toEqual(['cats']);
    expect(server.images).toHaveLength(5);
    expect(
      await screen.findByText(
        'Deleted the collection “Trips”. Its images are still in your gallery.',
      ),
    ).toBeInTheDocument();
  });

  it('removes the selection from the collection at once, and puts it back when that fails', async () => {
    const hold = gate();
    let fail = true;
    const server = tripsServer((req) =>
      req.url === '/images/bulk'
        ? hold.opened.then((): MockResponse | undefined =>
            fail ? problem(503, 'unavailable', 'The server is busy.') : undefined,
          )
        : undefined,
    );
    const user = userEvent.setup();
    renderCollection();
    await waitFor(() => expect(shown()).toHaveLength(3));
    await user.click(screen.getByRole('checkbox', { name: 'Select image: prompt b' }));
    const bar = screen.getByRole('toolbar', { name: 'Selected images' });
    await user.click(within(bar).getByRole('button', { name: 'Remove from collection' }));

    expect(shown()).toEqual(['prompt c', 'prompt a']);
    expect(count()).toBe('2 images');
    hold.open();
    await waitFor(() => expect(shown()).toEqual(['prompt c', 'prompt b', 'prompt a']));
    expect(count()).toBe('3 images');
    expect(screen.getByRole('checkbox', { name: 'Select image: prompt b' })).toBeChecked();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t remove the image from Trips. The server is busy.',
    );
    expect(server.bulk()).toEqual([
      { action: 'remove_from_collection', ids: ['b'], collection_id: 'trips' },
    ]);

    // Again, and this time it works, with Undo.
    fail = false;
    await user.click(
      within(screen.getByRole('toolbar', { name: 'Selected images' })).getByRole('button', {
        name: 'Remove from collection',
      }),
    );
    expect(await screen.findByText('Removed from Trips.')).toBeInTheDocument();
    await waitFor(() => expect(count()).toBe('2 images'));
    expect(shown()).toEqual(['prompt c', 'prompt a']);
    expect(server.images.find((i) => i.id === 'b')!.collection_ids).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(shown()).toEqual(['prompt c', 'prompt b', 'prompt a']));
    await waitFor(() =>
      expect(server.images.find((i) => i.id === 'b')!.collection_ids).toEqual(['trips']),
    );
  });

  it('says so when the collection does not exist (or is someone else’s)', async () => {
    tripsServer();
    renderCollection('nope');
    expect(await screen.findByText('This collection doesn’t exist')).toBeVisible();
    expect(screen.getByRole('link', { name: 'See your collections' })).toHaveAttribute(
      'href',
      '/collections',
    );
  });
});
