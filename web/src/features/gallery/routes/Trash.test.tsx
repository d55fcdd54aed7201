import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import {
  makeConfig,
  mockApi,
  problem,
  renderWithProviders,
  type MockResponse,
  type RecordedRequest,
} from '../../../test/utils';
import type { Image } from '../../../types/api';
import TrashPage from './Trash';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An image trashed `ago` ms ago, to be deleted for good `left` ms from now. */
function trashed(id: string, left: number, ago = 0): Image {
  return makeImage(id, {
    trashed_at: new Date(Date.now() - ago).toISOString(),
    purge_at: new Date(Date.now() + left).toISOString(),
  });
}

/** A server whose trash holds `items`; `answer` may take over any request. */
function trashServer(
  items: Image[],
  {
    retentionDays = 30,
    answer,
  }: {
    retentionDays?: number;
    answer?: (req: RecordedRequest) => MockResponse | Promise<MockResponse> | undefined;
  } = {},
) {
  let trash = [...items];
  const api = mockApi((req) => {
    const taken = answer?.(req);
    if (taken) return taken;
    if (req.url === '/config') {
      const config = makeConfig();
      return {
        data: { ...config, limits: { ...config.limits, trash_retention_days: retentionDays } },
      };
    }
    if (req.url === '/images' && req.method === 'GET') {
      return { data: { items: trash, next_cursor: null } };
    }
    if (req.url === '/trash/empty') {
      const deleted = trash.length;
      trash = [];
      return { data: { deleted } };
    }
    const id = req.url.split('/')[2];
    const image = trash.find((i) => i.id === id);
    if (!image) return problem(404, 'not_found', 'No such image.');
    trash = trash.filter((i) => i !== image);
    if (req.method === 'DELETE') return { status: 204 };
    return { data: { ...image, trashed_at: null, purge_at: null } };
  });
  return { api };
}

/** An answer that never comes. */
const never = () => new Promise<MockResponse>(() => {});

const rows = () =>
  screen.queryAllByRole('listitem').map((li) => li.querySelector('p')?.textContent);
const rowOf = (prompt: string) => screen.getByText(prompt).closest('li')!;

describe('Trash page', () => {
  it('lists the trash with when each image will be gone', async () => {
    const { api } = trashServer([trashed('a', 29 * DAY + HOUR), trashed('b', 3 * HOUR + 1000)]);
    renderWithProviders(<TrashPage />, { route: '/trash' });

    expect(
      await within(await rowOfAsync('prompt a')).findByText('Deleted for good in 29 days'),
    ).toBeInTheDocument();
    expect(within(rowOf('prompt b')).getByText('Deleted for good in 3 hours')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Images in the trash' })).toBeInTheDocument();
    expect(api.requests.find((r) => r.url === '/images')?.params).toMatchObject({
      trashed: 'true',
      limit: '24',
    });
  });

  it('pages through the trash with the cursor, still asking for the trash', async () => {
    const { api } = trashServer([], {
      answer: (req) =>
        req.url !== '/images'
          ? undefined
          : req.params.cursor === 'p2'
            ? { data: { items: [trashed('b', DAY)], next_cursor: null } }
            : { data: { items: [trashed('a', DAY)], next_cursor: 'p2' } },
    });
    renderWithProviders(<TrashPage />, { route: '/trash' });
    await userEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await screen.findByText('prompt b');
    expect(api.requests.filter((r) => r.url === '/images')[1]?.params).toMatchObject({
      trashed: 'true',
      cursor: 'p2',
    });
    expect(rows()).toEqual(['prompt a', 'prompt b']);
  });

  it('restores an image: it leaves the trash and the page says where it went', async () => {
    const { api } = trashServer([trashed('a', DAY), trashed('b', DAY)]);
    const user = userEvent.setup();
    renderWithProviders(<TrashPage />, { route: '/trash' });
    await user.click(within(await rowOfAsync('prompt a')).getByRole('button', { name: 'Restore' }));

    await waitFor(() => expect(rows()).toEqual(['prompt b']));
    const restore = api.requests.filter((r) => r.method === 'POST');
    expect(restore.map((r) => [r.url, r.data])).toEqual([['/images/a/restore', {}]]);
    expect(await screen.findByText('Restored to the gallery.')).toBeInTheDocument();
    // Focus moves on to the next image's first button, not into the void.
    expect(within(rowOf('prompt b')).getByRole('button', { name: 'Restore' })).toHaveFocus();
  });

  it('takes a restored image out of the list before the server answers', async () => {
    trashServer([trashed('a', DAY), trashed('b', DAY)], {
      answer: (req) => (req.url === '/images/a/restore' ? never() : undefined),
    });
    const user = userEvent.setup();
    renderWithProviders(<TrashPage />, { route: '/trash' });
    await user.click(within(await rowOfAsync('prompt a')).getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(rows()).toEqual(['prompt b']));
  });

  it('deletes an image for good only after asking', async () => {
    const { api } = trashServer([trashed('a', DAY), trashed('b', DAY)]);
    const user = userEvent.setup();
    renderWithProviders(<TrashPage />, { route: '/trash' });
    const deleteA = () => within(rowOf('prompt a')).getByRole('button', { name: 'Delete forever' });
    await rowOfAsync('prompt a');

    await user.click(deleteA());
    let dialog = screen.getByRole('alertdialog', { name: 'Delete this image for good?' });
    expect(dialog).toHaveTextContent('“prompt a” will be gone from your trash.');
    expect(dialog).toHaveTextContent('This can’t be undone.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    expect(deleteA()).toHaveFocus();

    await user.click(deleteA());
    dialog = screen.getByRole('alertdialog', { name: 'Delete this image for good?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete forever' }));
    await waitFor(() => expect(rows()).toEqual(['prompt b']));
    expect(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([
      '/images/a',
    ]);
    expect(await screen.findByText('Deleted for good.')).toBeInTheDocument();
  });

  it('puts an image back when deleting it fails, and says why', async () => {
    // After the failure the trash never loads again: only the rollback can bring the row back.
    let failed = false;
    trashServer([trashed('a', DAY)], {
      answer: (req) => {
        if (req.method === 'DELETE') {
          failed = true;
          return problem(500, 'internal_error', 'The disk is full.');
        }
        return failed && req.url === '/images' ? never() : undefined;
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<TrashPage />, { route: '/trash' });
    await user.click(
      within(await rowOfAsync('prompt a')).getByRole('button', { name: 'Delete forever' }),
    );
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete forever' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Couldn’t delete the image. The disk is full.',
    );
    expect(rows()).toEqual(['prompt a']);
  });

  it('empties the trash after saying how many images go, and reports how many went', async () => {
    const { api } = trashServer([trashed('a', DAY), trashed('b', DAY), trashed('c', DAY)]);
    const user = userEvent.setup();
    renderWithProviders(<TrashPage />, { route: '/trash' });
    await rowOfAsync('prompt a');

    await user.click(screen.getByRole('button', { name: 'Empty trash' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Empty the trash?' });
    expect(dialog).toHaveTextContent(
      'All 3 images in the trash will be deleted for good. This can’t be undone.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Empty trash' }));

    expect(await screen.findByText('Deleted 3 images.')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(await screen.findByText('Trash is empty')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => [r.url, r.data])).toEqual([
      ['/trash/empty', {}],
    ]);
  });

  it('counts the whole trash, not just the loaded page, when asking to empty it', async () => {
    trashServer([], {
      answer: (req) =>
        req.url === '/images'
          ? { data: { items: [trashed('a', DAY)], next_cursor: 'p2' } }
          : undefined,
    });
    const user = userEvent.setup();
    renderWithProviders(<TrashPage trashCount={30} />, { route: '/trash' });
    await rowOfAsync('prompt a');
    await user.click(screen.getByRole('button', { name: 'Empty trash' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent(
      'All 30 images in the trash will be deleted for good.',
    );
  });

  it('keeps the question open with the reason when emptying fails', async () => {
    trashServer([trashed('a', DAY)], {
      answer: (req) =>
        req.url === '/trash/empty' ? problem(503, 'internal_error', 'Try again soon.') : undefined,
    });
    const user = userEvent.setup();
    renderWithProviders(<TrashPage />, { route: '/trash' });
    await rowOfAsync('prompt a');
    await user.click(screen.getByRole('button', { name: 'Empty trash' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog).toHaveTextContent('The 1 image in the trash will be deleted for good.');
    await user.click(within(dialog).getByRole('button', { name: 'Empty trash' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Try again soon.');
    expect(rows()).toEqual(['prompt a']);
  });

  it('says how long deleted images stay when the trash is empty', async () => {
    trashServer([], { retentionDays: 14 });
    renderWithProviders(<TrashPage />, { route: '/trash' });
    expect(await screen.findByText('Trash is empty')).toBeInTheDocument();
    expect(await screen.findByText('Deleted images stay here for 14 days.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Empty trash' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the gallery' })).toHaveAttribute(
      'href',
      '/gallery',
    );
  });
});

async function rowOfAsync(prompt: string) {
  return (await screen.findByText(prompt)).closest('li')!;
}
