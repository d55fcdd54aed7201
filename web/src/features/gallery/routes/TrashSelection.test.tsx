import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
import type { BulkRequest, Image } from '../../../types/api';
import TrashPage from './Trash';

const DAY = 24 * 3_600_000;

/** Images d, c, b and a in the trash, most recently trashed first. */
const trashed = (): Image[] =>
  ['d', 'c', 'b', 'a'].map((id, n) =>
    makeImage(id, {
      trashed_at: new Date(Date.now() - n * 60_000).toISOString(),
      purge_at: new Date(Date.now() + 29 * DAY).toISOString(),
    }),
  );

/**
 * A trash that does what the API says for bulk restore and delete; `missing`
 * ids fail with not_found, and `answer` may take over any request.
 */
function trashServer(
  options: {
    missing?: string[];
    answer?: (req: RecordedRequest) => MockResponse | Promise<MockResponse> | undefined;
  } = {},
) {
  let trash = trashed();
  const api = mockApi((req) => {
    const taken = options.answer?.(req);
    if (taken) return taken;
    if (req.url === '/config') return { data: makeConfig() };
    if (req.url === '/images' && req.method === 'GET') {
      return { data: { items: trash, next_cursor: null } };
    }
    if (req.url === '/images/bulk') {
      const body = req.data as BulkRequest;
      const failed = body.ids
        .filter((id) => options.missing?.includes(id) || !trash.some((i) => i.id === id))
        .map((id) => ({ id, code: 'not_found' }));
      const succeeded = body.ids.filter((id) => !failed.some((f) => f.id === id));
      trash = trash.filter((i) => !succeeded.includes(i.id));
      return { data: { succeeded, failed } };
    }
    return problem(404, 'not_found', 'No such thing.');
  });
  const bulk = () =>
    api.requests.filter((r) => r.url === '/images/bulk').map((r) => r.data as BulkRequest);
  return { api, bulk };
}

/** An answer that never comes. */
const never = () => new Promise<MockResponse>(() => {});

function renderTrash() {
  const view = renderWithProviders(<TrashPage />, { route: '/trash' });
  view.client.setQueryData(['me'], testMe);
  return view;
}

const rows = () =>
  screen.queryAllByRole('listitem').map((li) => li.querySelector('p')?.textContent);
const checkbox = (id: string) =>
  screen.getByRole('checkbox', { name: `Select image: prompt ${id}` });
const checked = () =>
  screen
    .queryAllByRole('checkbox', { checked: true })
    .map((c) => c.getAttribute('aria-label')?.replace('Select image: prompt ', ''));
const bar = () => screen.queryByRole('toolbar', { name: 'Selected images' });

async function loaded() {
  await screen.findByText('prompt a');
}

describe('Selecting images in the trash', () => {
  it('selects with checkboxes and shift ranges, Ctrl/⌘-A selects all, Esc clears', async () => {
    trashServer();
    const user = userEvent.setup();
    renderTrash();
    await loaded();
    expect(bar()).toBeNull();

    await user.click(checkbox('c'));
    await user.keyboard('{Shift>}');
    await user.click(checkbox('a'));
    await user.keyboard('{/Shift}');
    expect(checked()).toEqual(['c', 'b', 'a']);
    expect(within(bar()!).getByRole('status')).toHaveTextContent('3 selected');

    await user.keyboard('{Escape}');
    expect(checked()).toEqual([]);
    expect(bar()).toBeNull();

    act(() =>
      within(screen.getByText('prompt b').closest('li')!).getAllByRole('button')[0]!.focus(),
    );
    await user.keyboard('{Control>}a{/Control}');
    expect(checked()).toEqual(['d', 'c', 'b', 'a']);
    await user.keyboard('x');
    expect(checked()).toEqual(['d', 'c', 'a']);
    await user.click(within(bar()!).getByRole('button', { name: 'Clear' }));
    expect(checked()).toEqual([]);
  });

  it('restores the selection in one request: the rows leave at once', async () => {
    let gateOpen!: () => void;
    const held = new Promise<void>((r) => (gateOpen = r));
    const { bulk } = trashServer({
      answer: (req) =>
        req.url === '/images/bulk'
          ? held.then(() => ({ data: { succeeded: ['d', 'b'], failed: [] } }))
          : undefined,
    });
    const user = userEvent.setup();
    const { client } = renderTrash();
    await loaded();
    await user.click(checkbox('d'));
    await user.click(checkbox('b'));
    await user.click(within(bar()!).getByRole('button', { name: 'Restore' }));

    await waitFor(() => expect(rows()).toEqual(['prompt c', 'prompt a']));
    expect(bar()).toBeNull();
    expect(bulk()).toEqual([{ action: 'restore', ids: ['d', 'b'] }]);
    gateOpen();
    expect(await screen.findByText('Restored 2 images to the gallery.')).toBeInTheDocument();
    await waitFor(() => expect(client.getQueryState(['me'])?.isInvalidated).toBe(true));
  });

  it('deletes the selection for good only after a yes that says how many', async () => {
    const { bulk } = trashServer();
    const user = userEvent.setup();
    renderTrash();
    await loaded();
    await user.click(checkbox('d'));
    await user.keyboard('{Shift>}');
    await user.click(checkbox('b'));
    await user.keyboard('{/Shift}');

    await user.click(within(bar()!).getByRole('button', { name: 'Delete forever' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Delete 3 images for good?' });
    expect(dialog).toHaveTextContent(
      'The 3 selected images will be gone from your trash. This can’t be undone.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(bulk()).toEqual([]);
    expect(checked()).toEqual(['d', 'c', 'b']);

    await user.click(within(bar()!).getByRole('button', { name: 'Delete forever' }));
    dialog = screen.getByRole('alertdialog', { name: 'Delete 3 images for good?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete forever' }));
    await waitFor(() => expect(rows()).toEqual(['prompt a']));
    expect(bulk()).toEqual([{ action: 'delete', ids: ['d', 'c', 'b'] }]);
    expect(await screen.findByText('Deleted 3 images for good.')).toBeInTheDocument();
    // Focus goes on to the row that stays.
    expect(
      within(screen.getByText('prompt a').closest('li')!).getByRole('button', { name: 'Restore' }),
    ).toHaveFocus();
  });

  it('puts back exactly the rows that could not be deleted, reselected, and says why', async () => {
    let answered = false;
    trashServer({
      missing: ['c'],
      answer: (req) => {
        if (req.url === '/images/bulk') answered = true;
        return answered && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderTrash();
    await loaded();
    await user.click(checkbox('d'));
    await user.click(checkbox('c'));
    await user.click(within(bar()!).getByRole('button', { name: 'Delete forever' }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete forever' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      '1 deleted for good; 1 could not be: not found.',
    );
    expect(rows()).toEqual(['prompt c', 'prompt b', 'prompt a']);
    expect(checked()).toEqual(['c']);
  });

  it('puts every row back and says why when restoring fails', async () => {
    let failed = false;
    trashServer({
      answer: (req) => {
        if (req.url === '/images/bulk') {
          failed = true;
          return problem(503, 'internal_error', 'Try again soon.');
        }
        return failed && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderTrash();
    await loaded();
    await user.keyboard('{Control>}a{/Control}');
    await user.click(within(bar()!).getByRole('button', { name: 'Restore' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t restore the images. Try again soon.',
    );
    expect(rows()).toEqual(['prompt d', 'prompt c', 'prompt b', 'prompt a']);
    expect(checked()).toHaveLength(4);
  });
});
