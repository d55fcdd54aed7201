import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { fakeServer, makeCollection, type FakeServerOptions } from '../../test/fakeServer';
import { makeImage, makeShare } from '../../test/fixtures';
import { renderWithProviders, testMe } from '../../test/utils';
import CollectionRoute from './Collection';
import CollectionsRoute from './Collections';

/** Trips holds a and b; Cats is empty. */
function server(options: FakeServerOptions = {}) {
  return fakeServer({
    images: ['b', 'a'].map((id) => makeImage(id, { collection_ids: ['trips'] })),
    collections: [
      makeCollection('trips', { name: 'Trips' }),
      makeCollection('cats', { name: 'Cats' }),
    ],
    ...options,
  });
}

function renderAt(route: string) {
  const view = renderWithProviders(
    <Routes>
      <Route path="/collections" element={<CollectionsRoute />} />
      <Route path="/collections/:collectionId" element={<CollectionRoute />} />
    </Routes>,
    { route },
  );
  view.client.setQueryData(['me'], testMe);
  return view;
}

const card = (name: string) =>
  screen.getAllByTestId('collection-card').find((c) => c.textContent?.includes(name))!;

describe('Sharing a collection', () => {
  it('marks the cards of shared collections on the Collections page', async () => {
    server({ shares: [makeShare('trips', { kind: 'collection' }), makeShare('cats')] });
    renderAt('/collections');
    await screen.findAllByTestId('collection-card');
    await waitFor(() => expect(within(card('Trips')).getByText('Shared')).toBeInTheDocument());
    // An image shared under the same id is not the collection.
    expect(within(card('Cats')).queryByText('Shared')).not.toBeInTheDocument();
  });

  it('is shared from its page, with the prompts shown or not', async () => {
    const fake = server();
    const user = userEvent.setup();
    renderAt('/collections/trips');
    await user.click(await screen.findByRole('button', { name: 'Share' }));
    const dialog = await screen.findByRole('dialog', { name: 'Share “Trips”' });
    expect(dialog).toHaveAccessibleDescription(/images in this collection/);
    const prompts = within(dialog).getByRole('switch', { name: 'Show prompts' });
    expect(prompts).not.toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Create link' }));

    expect(await within(dialog).findByLabelText('Link')).toHaveValue(fake.shares[0]!.url);
    expect(
      fake.api.requests.find((r) => r.method === 'POST' && r.url.endsWith('/share')),
    ).toMatchObject({ url: '/collections/trips/share', data: { show_prompt: false } });
    expect(fake.shares[0]).toMatchObject({ kind: 'collection', target_id: 'trips' });

    await user.click(within(dialog).getByRole('switch', { name: 'Show prompts' }));
    await waitFor(() => expect(fake.shares[0]!.show_prompt).toBe(true));

    await user.click(within(dialog).getByRole('button', { name: 'Stop sharing' }));
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Stop sharing “Trips”?' })).getByRole(
        'button',
        { name: 'Stop sharing' },
      ),
    );
    await within(dialog).findByRole('button', { name: 'Create link' });
    expect(fake.api.requests.find((r) => r.method === 'DELETE')?.url).toBe(
      '/collections/trips/share',
    );
    // Shared again, the switch starts where the last link left it.
    expect(within(dialog).getByRole('switch', { name: 'Show prompts' })).toBeChecked();
  });
});
