import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import {
  makeConfig,
  mockApi,
  problem,
  renderWithProviders,
  testMe,
  type MockResponse,
  type RecordedRequest,
} from '../../../test/utils';
import type { Image } from '../../../types/api';
import GalleryPage from './Gallery';
import GalleryDetailPage from './GalleryDetail';

/** A gate the test opens by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/**
 * A server holding images a, b and c (newest first) that keeps track of the
 * trash. `answer` may take over any request (to hold it or make it fail);
 * otherwise the server does what the API says.
 */
function trashServer(
  options: {
    favourites?: string[];
    /** Requests to this URL are answered only once the gate opens. */
    hold?: { url: string; until: Promise<void> };
    answer?: (req: RecordedRequest) => MockResponse | Promise<MockResponse> | undefined;
  } = {},
) {
  const images: Image[] = ['c', 'b', 'a'].map((id, n) =>
    makeImage(id, {
      created_at: `2026-11-26T08:0${3 - n}:00Z`,
      favorite: options.favourites?.includes(id) ?? false,
    }),
  );
  const api = mockApi((req) => {
    const { hold } = options;
    if (hold && req.url === hold.url) return hold.until.then(() => serve(req));
    return options.answer?.(req) ?? serve(req);
  });
  function serve(req: RecordedRequest): MockResponse {
    if (req.url === '/config') return { data: makeConfig() };
    if (req.url === '/images') {
      const trashed = req.params.trashed === 'true';
      return {
        data: { items: images.filter((i) => Boolean(i.trashed_at) === trashed), next_cursor: null },
      };
    }
    const [, , id, action] = req.url.split('/');
    const image = images.find((i) => i.id === id);
    if (!image) return problem(404, 'not_found', 'No such image.');
    if (action === 'trash') {
      const body = req.data as { include_favorites?: boolean };
      if (image.favorite && !body.include_favorites) {
        return problem(409, 'favorite_protected', 'This image is a favourite.');
      }
      image.trashed_at = '2026-11-27T08:00:00Z';
      image.purge_at = '2026-12-27T08:00:00Z';
    }
    if (action === 'restore') {
      image.trashed_at = null;
      image.purge_at = null;
    }
    return { data: { ...image } };
  }
  const calls = (action: string) =>
    api.requests.filter((r) => r.method === 'POST' && r.url.endsWith(`/${action}`));
  return { api, calls };
}

function renderGallery(route = '/gallery') {
  const view = renderWithProviders(
    <Routes>
      <Route path="/gallery" element={<GalleryPage />}>
        <Route path=":id" element={<GalleryDetailPage />} />
      </Route>
    </Routes>,
    { route },
  );
  view.client.setQueryData(['me'], testMe);
  return view;
}

/** An answer that never comes. */
const never = () => new Promise<MockResponse>(() => {});

const tile = (prompt: string) => screen.getByRole('img', { name: prompt }).closest('li')!;
const trashButtonOf = (prompt: string) =>
  within(tile(prompt)).getByRole('button', { name: 'Move to trash' });
const shownPrompts = () =>
  screen.queryAllByTestId('gallery-item').map((a) => a.querySelector('img')?.alt);

describe('Moving an image to the trash from the gallery', () => {
  it('takes the tile out at once, then offers Undo, which brings it back', async () => {
    const held = gate();
    const { calls } = trashServer({ hold: { url: '/images/b/trash', until: held.opened } });
    const user = userEvent.setup();
    const { client } = renderGallery();
    await screen.findByRole('img', { name: 'prompt b' });

    await user.click(trashButtonOf('prompt b'));
    // Gone before the server has answered.
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt c', 'prompt a']));
    expect(calls('trash')).toHaveLength(1);
    expect(calls('trash')[0]?.data).toEqual({});
    expect(screen.queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();

    held.open();
    const status = screen.getByRole('status');
    expect(await within(status).findByText('Moved to the trash.')).toBeInTheDocument();
    // The lists, the trash and the usage counts are refetched.
    await waitFor(() => expect(client.getQueryState(['me'])?.isInvalidated).toBe(true));
    expect(shownPrompts()).toEqual(['prompt c', 'prompt a']);

    await user.click(within(status).getByRole('button', { name: 'Undo' }));
    expect(calls('restore').map((r) => [r.url, r.data])).toEqual([['/images/b/restore', {}]]);
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt c', 'prompt b', 'prompt a']));
    expect(screen.queryByText('Moved to the trash.')).not.toBeInTheDocument();
  });

  it('puts the tile back and says why when the server refuses', async () => {
    // After the failure no list loads again: only the rollback can bring the tile back.
    let failed = false;
    trashServer({
      answer: (req) => {
        if (req.url === '/images/b/trash') {
          failed = true;
          return problem(500, 'internal_error', 'The server broke.');
        }
        return failed && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('img', { name: 'prompt b' });

    await user.click(trashButtonOf('prompt b'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t move the image to the trash. The server broke.',
    );
    expect(shownPrompts()).toEqual(['prompt c', 'prompt b', 'prompt a']);
    expect(screen.queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
  });

  it('asks before trashing a favourite, and sends include_favorites only after a yes', async () => {
    const { calls } = trashServer({ favourites: ['b'] });
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('img', { name: 'prompt b' });

    await user.click(trashButtonOf('prompt b'));
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Move a favourite to the trash?',
    });
    expect(dialog).toHaveTextContent('This image is a favourite. Move it to the trash anyway?');
    // Refused, so the tile is back while the question is open.
    expect(shownPrompts()).toEqual(['prompt c', 'prompt b', 'prompt a']);
    expect(calls('trash').map((r) => r.data)).toEqual([{}]);

    await user.click(within(dialog).getByRole('button', { name: 'Move to trash' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt c', 'prompt a']));
    expect(calls('trash').map((r) => r.data)).toEqual([{}, { include_favorites: true }]);
    expect(await screen.findByText('Moved to the trash.')).toBeInTheDocument();
  });

  it('keeps a favourite when the answer is no', async () => {
    const { calls } = trashServer({ favourites: ['b'] });
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('img', { name: 'prompt b' });

    await user.click(trashButtonOf('prompt b'));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(shownPrompts()).toEqual(['prompt c', 'prompt b', 'prompt a']);
    expect(calls('trash')).toHaveLength(1);
    expect(screen.queryByText('Moved to the trash.')).not.toBeInTheDocument();
  });

  it('moves the focused tile to the trash with the Delete key, and focus steps on', async () => {
    const { calls } = trashServer();
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('img', { name: 'prompt b' });

    act(() => screen.getByRole('link', { name: 'prompt b' }).focus());
    await user.keyboard('{Delete}');
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt c', 'prompt a']));
    expect(screen.getByRole('link', { name: 'prompt a' })).toHaveFocus();
    expect(calls('trash').map((r) => r.url)).toEqual(['/images/b/trash']);
    expect(await screen.findByRole('button', { name: 'Undo' })).toBeInTheDocument();

    // Other keys on a tile do nothing of the kind.
    await user.keyboard('x');
    expect(calls('trash')).toHaveLength(1);
  });

  it('moves the image shown in the detail to the trash and closes the detail', async () => {
    const { calls } = trashServer();
    const user = userEvent.setup();
    renderGallery('/gallery/b');
    const dialog = await screen.findByRole('dialog', { name: 'Image details' });

    await user.click(within(dialog).getByRole('button', { name: 'Move to trash' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt c', 'prompt a']));
    expect(calls('trash').map((r) => r.url)).toEqual(['/images/b/trash']);
    expect(await screen.findByRole('button', { name: 'Undo' })).toBeInTheDocument();
  });

  it('Undo shows the image again at once, and takes it out again if the restore fails', async () => {
    let undone = false;
    const { calls } = trashServer({
      answer: (req) => {
        if (req.url === '/images/b/restore') {
          undone = true;
          return problem(503, 'internal_error', 'Down for a moment.');
        }
        // Once Undo is pressed, lists never load again: what shows is the cache's doing.
        return undone && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('img', { name: 'prompt b' });
    await user.click(trashButtonOf('prompt b'));
    await user.click(await screen.findByRole('button', { name: 'Undo' }));

    expect(calls('restore')).toHaveLength(1);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t restore the image. Down for a moment.',
    );
    expect(shownPrompts()).toEqual(['prompt c', 'prompt a']);
  });

  it('Undo puts the image back in its place before the server answers', async () => {
    const held = gate();
    trashServer({ hold: { url: '/images/b/restore', until: held.opened } });
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('img', { name: 'prompt b' });
    await user.click(trashButtonOf('prompt b'));
    await user.click(await screen.findByRole('button', { name: 'Undo' }));

    await waitFor(() => expect(shownPrompts()).toEqual(['prompt c', 'prompt b', 'prompt a']));
    held.open();
  });

  it('opened from a link, an image in the trash says so and offers Restore', async () => {
    const { calls } = trashServer({
      answer: (req) =>
        req.url === '/images/b'
          ? {
              data: makeImage('b', {
                trashed_at: new Date().toISOString(),
                purge_at: new Date(Date.now() + 3 * 3_600_000 + 60_000).toISOString(),
              }),
            }
          : undefined,
    });
    const user = userEvent.setup();
    renderGallery('/gallery/b');
    const dialog = await screen.findByRole('dialog', { name: 'Image details' });
    const notice = await within(dialog).findByRole('status');
    expect(notice).toHaveTextContent('This image is in the trash');
    expect(notice).toHaveTextContent('Deleted for good in 3 hours.');
    expect(within(dialog).queryByRole('button', { name: 'Move to trash' })).toBeNull();

    await user.click(within(notice).getByRole('button', { name: 'Restore' }));
    expect(calls('restore').map((r) => r.url)).toEqual(['/images/b/restore']);
    expect(await within(dialog).findByRole('button', { name: 'Move to trash' })).toBeVisible();
  });
});
