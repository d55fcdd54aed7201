import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import { renderWithDetail } from '../../../test/routes';
import {
  makeConfig,
  mockApi,
  problem,
  type MockResponse,
  type RecordedRequest,
} from '../../../test/utils';
import type { BulkRequest, Image } from '../../../types/api';
import GalleryPage from './Gallery';

/** A gate the test opens by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/** An answer that never comes. */
const never = () => new Promise<MockResponse>(() => {});

/**
 * A server holding images e, d, c, b and a (newest first) that does what the
 * API says for bulk actions. `pageSize` splits the gallery into pages;
 * `missing` ids fail with not_found; `answer` may take over any request.
 */
function bulkServer(
  options: {
    favourites?: string[];
    missing?: string[];
    pageSize?: number;
    /** Bulk requests are answered only once this settles. */
    holdBulk?: Promise<void>;
    answer?: (req: RecordedRequest) => MockResponse | Promise<MockResponse> | undefined;
  } = {},
) {
  const images: Image[] = ['e', 'd', 'c', 'b', 'a'].map((id, n) =>
    makeImage(id, {
      created_at: `2026-11-26T08:0${5 - n}:00Z`,
      favorite: options.favourites?.includes(id) ?? false,
    }),
  );
  const api = mockApi((req) => {
    const taken = options.answer?.(req);
    if (taken) return taken;
    if (options.holdBulk && req.url === '/images/bulk')
      return options.holdBulk.then(() => serve(req));
    return serve(req);
  });
  function serve(req: RecordedRequest): MockResponse {
    if (req.url === '/config') return { data: makeConfig() };
    if (req.url === '/images') {
      const trashed = req.params.trashed === 'true';
      const all = images.filter(
        (i) => Boolean(i.trashed_at) === trashed && (req.params.favorite !== 'true' || i.favorite),
      );
      const size = options.pageSize ?? 100;
      const from = req.params.cursor ? Number(req.params.cursor) : 0;
      const next = from + size < all.length ? String(from + size) : null;
      return { data: { items: all.slice(from, from + size), next_cursor: next } };
    }
    if (req.url === '/images/bulk') {
      const body = req.data as BulkRequest;
      const succeeded: string[] = [];
      const failed: Array<{ id: string; code: string }> = [];
      for (const id of body.ids) {
        const image = images.find((i) => i.id === id);
        if (!image || options.missing?.includes(id)) {
          failed.push({ id, code: 'not_found' });
          continue;
        }
        if (body.action === 'trash' && image.favorite && !body.include_favorites) {
          failed.push({ id, code: 'favorite_protected' });
          continue;
        }
        if (body.action === 'favorite') image.favorite = true;
        if (body.action === 'unfavorite') image.favorite = false;
        if (body.action === 'trash') image.trashed_at = '2026-11-27T08:00:00Z';
        if (body.action === 'restore') image.trashed_at = null;
        succeeded.push(id);
      }
      return { data: { succeeded, failed } };
    }
    return problem(404, 'not_found', 'No such thing.');
  }
  const bulk = () =>
    api.requests.filter((r) => r.url === '/images/bulk').map((r) => r.data as BulkRequest);
  return { api, images, bulk };
}

const renderGallery = (route = '/gallery') => renderWithDetail(<GalleryPage />, { route });

const checkbox = (id: string) =>
  screen.getByRole('checkbox', { name: `Select image: prompt ${id}` });
const checked = () =>
  screen
    .queryAllByRole('checkbox', { checked: true })
    .map((c) => c.getAttribute('aria-label')?.replace('Select image: prompt ', ''));
const bar = () => screen.queryByRole('toolbar', { name: 'Selected images' });
const shownPrompts = () =>
  screen.queryAllByTestId('gallery-item').map((a) => a.querySelector('img')?.alt);
const tileLink = (id: string) => screen.getByRole('link', { name: `prompt ${id}` });
const heartOf = (id: string) =>
  within(tileLink(id).closest('li')!).getByRole('button', { name: 'Favourite' });

async function loaded() {
  await screen.findByRole('img', { name: 'prompt a' });
}

describe('Selecting images in the gallery', () => {
  it('selects with labelled checkboxes, and a shift-click selects the range', async () => {
    bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    expect(bar()).toBeNull();

    await user.click(checkbox('d'));
    expect(checked()).toEqual(['d']);
    expect(within(bar()!).getByRole('status')).toHaveTextContent('1 selected');

    await user.keyboard('{Shift>}');
    await user.click(checkbox('b'));
    await user.keyboard('{/Shift}');
    expect(checked()).toEqual(['d', 'c', 'b']);
    expect(within(bar()!).getByRole('status')).toHaveTextContent('3 selected');

    // A plain click toggles one; a shift-click from it clears the range it spans.
    await user.click(checkbox('c'));
    expect(checked()).toEqual(['d', 'b']);
    await user.keyboard('{Shift>}');
    await user.click(checkbox('e'));
    await user.keyboard('{/Shift}');
    expect(checked()).toEqual(['e', 'd', 'c', 'b']);

    await user.click(within(bar()!).getByRole('button', { name: 'Clear' }));
    expect(checked()).toEqual([]);
    expect(bar()).toBeNull();
  });

  it('Ctrl/⌘-A selects every loaded image, Esc clears, X toggles the focused one', async () => {
    bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();

    act(() => tileLink('c').focus());
    await user.keyboard('x');
    expect(checked()).toEqual(['c']);
    await user.keyboard('x');
    expect(checked()).toEqual([]);

    await user.keyboard('{Control>}a{/Control}');
    expect(checked()).toEqual(['e', 'd', 'c', 'b', 'a']);
    await user.keyboard('{Escape}');
    expect(checked()).toEqual([]);

    // ⌘ on a Mac; and X on a focused checkbox toggles its image too.
    act(() => checkbox('a').focus());
    await user.keyboard('{Meta>}a{/Meta}');
    expect(checked()).toHaveLength(5);
    await user.keyboard('x');
    expect(checked()).toEqual(['e', 'd', 'c', 'b']);
    await user.keyboard('{Escape}');
    expect(checked()).toEqual([]);
  });

  it('leaves Ctrl-A, Esc and X to the search box while typing there', async () => {
    bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('b'));

    const search = screen.getByRole('searchbox');
    await user.click(search);
    await user.keyboard('{Control>}a{/Control}');
    expect(checked()).toEqual(['b']);
    await user.keyboard('{Escape}');
    expect(checked()).toEqual(['b']);
    // Last: the search it types starts a new selection once typing pauses.
    await user.keyboard('x');
    expect(search).toHaveValue('x');
    expect(checked()).toEqual(['b']);
  });

  it('while selecting, a click on a picture toggles it instead of opening it', async () => {
    bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();

    await user.click(checkbox('e'));
    await user.click(tileLink('c'));
    expect(checked()).toEqual(['e', 'c']);
    expect(screen.getByTestId('where')).toHaveTextContent(/^\/gallery$/);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    // Shift-click on a picture selects the range from the last one toggled.
    await user.keyboard('{Shift>}');
    await user.click(tileLink('a'));
    await user.keyboard('{/Shift}');
    expect(checked()).toEqual(['e', 'c', 'b', 'a']);

    await user.click(tileLink('c'));
    expect(checked()).toEqual(['e', 'b', 'a']);

    // With nothing selected, a click opens the image again.
    await user.keyboard('{Escape}');
    await user.click(tileLink('c'));
    expect(await screen.findByRole('dialog', { name: 'Image details' })).toBeInTheDocument();
    expect(screen.getByTestId('where')).toHaveTextContent('/gallery/c');
  });

  it('keeps the selection through "Load more", and starts afresh when the filters change', async () => {
    bulkServer({ pageSize: 3, favourites: ['d'] });
    const user = userEvent.setup();
    renderGallery();
    await screen.findByRole('img', { name: 'prompt c' });

    await user.click(checkbox('d'));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('img', { name: 'prompt a' });
    expect(checked()).toEqual(['d']);
    await user.keyboard('{Shift>}');
    await user.click(checkbox('a'));
    await user.keyboard('{/Shift}');
    expect(checked()).toEqual(['d', 'c', 'b', 'a']);

    // Favourites only: d is still shown, but no longer selected.
    const favouritesOnly = () => screen.getByRole('button', { name: 'Favourites only' });
    await user.click(favouritesOnly());
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt d']));
    expect(checked()).toEqual([]);
    expect(bar()).toBeNull();

    // Each view has its own selection, and coming back to a view does not revive its old one.
    await user.click(checkbox('d'));
    await user.click(favouritesOnly());
    await waitFor(() => expect(shownPrompts()).toHaveLength(5));
    expect(checked()).toEqual([]);
    await user.click(favouritesOnly());
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt d']));
    expect(checked()).toEqual([]);
    await user.click(favouritesOnly());
    await waitFor(() => expect(shownPrompts()).toHaveLength(5));

    // Nor does it outlast a search.
    await user.click(checkbox('c'));
    await user.type(screen.getByRole('searchbox'), 'prompt');
    await waitFor(() => expect(checked()).toEqual([]), { timeout: 2000 });
  });
});

describe('The selection bar', () => {
  it('favourites the selection in one request, the hearts flipping at once', async () => {
    const held = gate();
    const { bulk } = bulkServer({ favourites: ['d'], holdBulk: held.opened });
    const user = userEvent.setup();
    const { client } = renderGallery();
    await loaded();
    await user.click(checkbox('d'));
    await user.keyboard('{Shift>}');
    await user.click(checkbox('b'));
    await user.keyboard('{/Shift}');

    // Not every selected image is a favourite: the bar favourites.
    await user.click(within(bar()!).getByRole('button', { name: 'Favourite' }));
    expect(bulk()).toEqual([{ action: 'favorite', ids: ['d', 'c', 'b'] }]);
    for (const id of ['d', 'c', 'b']) expect(heartOf(id)).toHaveAttribute('aria-pressed', 'true');
    expect(heartOf('e')).toHaveAttribute('aria-pressed', 'false');
    // Now all of them are: the same button unfavourites.
    expect(within(bar()!).getByRole('button', { name: 'Unfavourite' })).toBeInTheDocument();
    expect(checked()).toEqual(['d', 'c', 'b']);

    held.open();
    expect(await screen.findByText('Added 3 images to your favourites.')).toBeInTheDocument();
    await waitFor(() => expect(client.getQueryState(['me'])?.isInvalidated).toBe(true));

    await user.click(within(bar()!).getByRole('button', { name: 'Unfavourite' }));
    expect(bulk()[1]).toEqual({ action: 'unfavorite', ids: ['d', 'c', 'b'] });
    for (const id of ['d', 'c', 'b']) expect(heartOf(id)).toHaveAttribute('aria-pressed', 'false');
    expect(await screen.findByText('Removed 3 images from your favourites.')).toBeInTheDocument();
  });

  it('puts every heart back and says why when the request fails', async () => {
    let failed = false;
    bulkServer({
      favourites: ['c'],
      answer: (req) => {
        if (req.url === '/images/bulk') {
          failed = true;
          return problem(503, 'internal_error', 'Down for a moment.');
        }
        // After the failure no list loads again: only the rollback can put the hearts back.
        return failed && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('c'));
    await user.click(checkbox('b'));
    await user.click(within(bar()!).getByRole('button', { name: 'Favourite' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t add the images to your favourites. Down for a moment.',
    );
    expect(heartOf('c')).toHaveAttribute('aria-pressed', 'true');
    expect(heartOf('b')).toHaveAttribute('aria-pressed', 'false');
  });

  it('puts back the hearts of the images that could not be favourited, and says why', async () => {
    let answered = false;
    bulkServer({
      missing: ['c'],
      answer: (req) => {
        if (req.url === '/images/bulk') answered = true;
        return answered && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('d'));
    await user.click(checkbox('c'));
    await user.click(within(bar()!).getByRole('button', { name: 'Favourite' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      '1 added to your favourites; 1 could not be: not found.',
    );
    expect(heartOf('d')).toHaveAttribute('aria-pressed', 'true');
    expect(heartOf('c')).toHaveAttribute('aria-pressed', 'false');
  });

  it('moves the selection to the trash at once, and Undo restores exactly those', async () => {
    const held = gate();
    const { bulk } = bulkServer({ holdBulk: held.opened });
    const user = userEvent.setup();
    const { client } = renderGallery();
    const trashKey = ['images', 'trash', {}];
    client.setQueryData(trashKey, {
      pages: [{ items: [], next_cursor: null }],
      pageParams: [null],
    });
    await loaded();
    await user.click(checkbox('d'));
    await user.click(checkbox('b'));
    await user.click(within(bar()!).getByRole('button', { name: 'Move to trash' }));

    // Gone before the server has answered, and the selection with them.
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt e', 'prompt c', 'prompt a']));
    expect(bar()).toBeNull();
    expect(bulk()).toEqual([{ action: 'trash', ids: ['d', 'b'], include_favorites: false }]);
    // Focus went on to the tile after the first that left, not into the void.
    expect(tileLink('c')).toHaveFocus();

    held.open();
    const status = screen.getByRole('status');
    expect(await within(status).findByText('Moved 2 images to the trash.')).toBeInTheDocument();
    // The lists, the trash and the usage counts are refetched.
    await waitFor(() => expect(client.getQueryState(['me'])?.isInvalidated).toBe(true));
    expect(client.getQueryState(trashKey)?.isInvalidated).toBe(true);

    await user.click(within(status).getByRole('button', { name: 'Undo' }));
    expect(bulk()[1]).toEqual({ action: 'restore', ids: ['d', 'b'] });
    await waitFor(() =>
      expect(shownPrompts()).toEqual(['prompt e', 'prompt d', 'prompt c', 'prompt b', 'prompt a']),
    );
  });

  it('asks about favourites first: Cancel moves nothing, "Only the others" leaves them, and favourites alone need a yes', async () => {
    const { bulk } = bulkServer({ favourites: ['d', 'b'] });
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.keyboard('{Control>}a{/Control}');
    await user.click(within(bar()!).getByRole('button', { name: 'Move to trash' }));

    let dialog = screen.getByRole('alertdialog', { name: 'Move favourites to the trash?' });
    expect(dialog).toHaveTextContent('2 of the 5 are favourites. Move them to the trash too?');
    // Nothing has moved while the question is open.
    expect(shownPrompts()).toHaveLength(5);
    expect(bulk()).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bulk()).toEqual([]);
    expect(checked()).toHaveLength(5);

    await user.click(within(bar()!).getByRole('button', { name: 'Move to trash' }));
    dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Only the others' }));
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt d', 'prompt b']));
    expect(bulk()).toEqual([{ action: 'trash', ids: ['e', 'c', 'a'], include_favorites: false }]);
    expect(await screen.findByText('Moved 3 images to the trash.')).toBeInTheDocument();

    await user.keyboard('{Control>}a{/Control}');
    await user.click(within(bar()!).getByRole('button', { name: 'Move to trash' }));
    dialog = screen.getByRole('alertdialog', { name: 'Move favourites to the trash?' });
    expect(dialog).toHaveTextContent('All 2 are favourites. Move them to the trash anyway?');
    // With nothing else selected there are no others to move.
    expect(within(dialog).queryByRole('button', { name: 'Only the others' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Move to trash' }));
    await waitFor(() => expect(shownPrompts()).toEqual([]));
    expect(bulk()[1]).toEqual({ action: 'trash', ids: ['d', 'b'], include_favorites: true });
  });

  it('"Move all" moves the favourites among them too', async () => {
    const held = gate();
    const { bulk } = bulkServer({ favourites: ['c'], holdBulk: held.opened });
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('d'));
    await user.keyboard('{Shift>}');
    await user.click(checkbox('b'));
    await user.keyboard('{/Shift}');
    await user.click(within(bar()!).getByRole('button', { name: 'Move to trash' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Move a favourite to the trash?' });
    expect(dialog).toHaveTextContent('1 of the 3 is a favourite. Move it to the trash too?');
    await user.click(within(dialog).getByRole('button', { name: 'Move all 3' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(shownPrompts()).toEqual(['prompt e', 'prompt a']));
    expect(bulk()).toEqual([{ action: 'trash', ids: ['d', 'c', 'b'], include_favorites: true }]);
    // Focus goes on to the tile after those that left.
    expect(tileLink('a')).toHaveFocus();
    held.open();
    expect(await screen.findByText('Moved 3 images to the trash.')).toBeInTheDocument();
  });

  it('puts back exactly the images that failed, reselected, and says why', async () => {
    let answered = false;
    const { bulk } = bulkServer({
      missing: ['c'],
      answer: (req) => {
        if (req.url === '/images/bulk') answered = true;
        // After the answer no list loads again: only the cache can put the image back.
        return answered && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('d'));
    await user.keyboard('{Shift>}');
    await user.click(checkbox('b'));
    await user.keyboard('{/Shift}');
    await user.click(within(bar()!).getByRole('button', { name: 'Move to trash' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      '2 moved to the trash; 1 could not be: not found.',
    );
    expect(shownPrompts()).toEqual(['prompt e', 'prompt c', 'prompt a']);
    expect(checked()).toEqual(['c']);

    // Undo brings back the two that moved, not the one that did not.
    await user.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Undo' }));
    expect(bulk()[1]).toEqual({ action: 'restore', ids: ['d', 'b'] });
  });

  it('puts everything back and says why when the request fails', async () => {
    let failed = false;
    bulkServer({
      answer: (req) => {
        if (req.url === '/images/bulk') {
          failed = true;
          return problem(500, 'internal_error', 'The server broke.');
        }
        return failed && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('e'));
    await user.click(checkbox('a'));
    await user.click(within(bar()!).getByRole('button', { name: 'Move to trash' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t move the images to the trash. The server broke.',
    );
    expect(shownPrompts()).toHaveLength(5);
    expect(checked()).toEqual(['e', 'a']);
    expect(screen.queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
  });

  it('Delete on a tile moves the whole selection to the trash', async () => {
    const { bulk } = bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('e'));
    await user.click(checkbox('c'));
    act(() => tileLink('c').focus());
    await user.keyboard('{Delete}');

    await waitFor(() => expect(shownPrompts()).toEqual(['prompt d', 'prompt b', 'prompt a']));
    expect(bulk()).toEqual([{ action: 'trash', ids: ['e', 'c'], include_favorites: false }]);
    expect(tileLink('d')).toHaveFocus();
  });

  it('is a labelled toolbar whose arrow keys move between its buttons', async () => {
    bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(checkbox('e'));
    const clear = within(bar()!).getByRole('button', { name: 'Clear' });
    act(() => clear.focus());
    await user.keyboard('{ArrowRight}');
    expect(within(bar()!).getByRole('button', { name: 'Favourite' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(within(bar()!).getByRole('button', { name: 'Move to trash' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(clear).toHaveFocus();
  });
});

describe('The keyboard shortcuts dialog', () => {
  it('opens with ?, lists the shortcuts, and closes with Esc', async () => {
    bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    act(() => tileLink('b').focus());

    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const text of [
      'Open the focused image',
      'Previous or next image, in the open image',
      'Move the focused image, or the selection, to the trash',
      'Select or deselect the focused image',
      'Select every image shown',
      'Clear the selection, or close the open image',
    ]) {
      expect(within(dialog).getByText(text)).toBeInTheDocument();
    }
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(tileLink('b')).toHaveFocus();

    // The button beside the filters opens it too; Close closes it.
    await user.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).getByRole('button', {
        name: 'Close',
      }),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('is not opened by a ? typed in the search box', async () => {
    bulkServer();
    const user = userEvent.setup();
    renderGallery();
    await loaded();
    await user.click(screen.getByRole('searchbox'));
    await user.keyboard('?');
    expect(screen.getByRole('searchbox')).toHaveValue('?');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
