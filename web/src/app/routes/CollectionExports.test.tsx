import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, makeCollection } from '../../test/fakeServer';
import { makeImage } from '../../test/fixtures';
import { renderWithProviders, testMe } from '../../test/utils';
import CollectionRoute from './Collection';

let downloaded: string[] = [];
beforeEach(() => {
  downloaded = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    if (this.hasAttribute('download')) downloaded.push(this.href);
  });
});
afterEach(() => vi.restoreAllMocks());

/** Trips holds a and b, and c is in the trash; Cats is empty. */
function server() {
  return fakeServer({
    images: [
      makeImage('c', { collection_ids: ['trips'], trashed_at: '2026-11-30T08:00:00Z' }),
      ...['b', 'a'].map((id) => makeImage(id, { collection_ids: ['trips'] })),
    ],
    collections: [
      makeCollection('trips', { name: 'Trips' }),
      makeCollection('cats', { name: 'Cats' }),
    ],
  });
}

function renderAt(route: string) {
  const view = renderWithProviders(
    <Routes>
      <Route path="/collections/:collectionId" element={<CollectionRoute />} />
    </Routes>,
    { route },
  );
  view.client.setQueryData(['me'], testMe);
  return view;
}

describe('Downloading a collection as a ZIP', () => {
  it('asks for the collection’s ZIP from its page, and downloads it', async () => {
    const fake = server();
    const user = userEvent.setup();
    renderAt('/collections/trips');
    await screen.findByRole('heading', { level: 1, name: 'Trips' });
    await user.click(await screen.findByRole('button', { name: 'Download as ZIP' }));

    const dialog = await screen.findByRole('dialog', { name: 'Download as ZIP' });
    await within(dialog).findByText(/^Your ZIP is ready \(2 images, /);
    expect(fake.exportRequests()).toEqual([{ collection_id: 'trips' }]);
    expect(downloaded).toEqual([fake.exports[0]!.url]);
  });

  it('is unavailable for an empty collection, and says why', async () => {
    const fake = server();
    const user = userEvent.setup();
    renderAt('/collections/cats');
    await screen.findByRole('heading', { level: 1, name: 'Cats' });
    const button = screen.getByRole('button', { name: 'Download as ZIP' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveAccessibleDescription('This collection has no images yet.');

    await user.click(button);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.exportRequests()).toEqual([]);
  });
});
