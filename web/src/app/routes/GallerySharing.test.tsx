import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeServer, fiveImages, type FakeServerOptions } from '../../test/fakeServer';
import { makeImage, makeShare } from '../../test/fixtures';
import { renderWithDetail } from '../../test/routes';
import { problem } from '../../test/utils';
import GalleryRoute from './Gallery';

/** The gallery (with what the app adds to it) over a fake server, opened at `route`. */
async function renderGallery(options: FakeServerOptions = {}, route = '/gallery') {
  const user = userEvent.setup();
  const server = fakeServer(options);
  const view = renderWithDetail(<GalleryRoute />, { route });
  await screen.findAllByTestId('gallery-item');
  return { user, server, ...view };
}

/** The tile of image `id`: its link, named by its picture (and its badges). */
const tile = (id: string) =>
  screen
    .getAllByTestId('gallery-item')
    .find((a) => a.getAttribute('href') === `/gallery/${id}`) as HTMLElement;

async function openShareDialog(user: ReturnType<typeof userEvent.setup>) {
  const detail = await screen.findByRole('dialog', { name: 'Image details' });
  await user.click(await within(detail).findByRole('button', { name: 'Share' }));
  return screen.findByRole('dialog', { name: 'Share this image' });
}

const sharePosts = (server: ReturnType<typeof fakeServer>) =>
  server.api.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/share'));

describe('Sharing an image', () => {
  it('marks the tiles of shared images only, from one request for the whole grid', async () => {
    const { server } = await renderGallery({
      shares: [makeShare('b'), makeShare('trips', { kind: 'collection' }), makeShare('gone')],
    });
    await waitFor(() => expect(within(tile('b')).getByText('Shared')).toBeInTheDocument());
    expect(tile('b')).toHaveAccessibleName('prompt b Shared');
    for (const id of ['a', 'c', 'd', 'e']) {
      expect(within(tile(id)).queryByText('Shared')).not.toBeInTheDocument();
    }
    expect(screen.getAllByTestId('shared-badge')).toHaveLength(1);
    expect(server.api.requests.filter((r) => r.url === '/shares')).toHaveLength(1);
  });

  it('makes a link from the detail view with the prompt shown, then copies it', async () => {
    const { user, server } = await renderGallery({}, '/gallery/c');
    let dialog = await openShareDialog(user);
    expect(dialog).toHaveAccessibleDescription(/Anyone with the link can see this image/);
    const create = within(dialog).getByRole('button', { name: 'Create link' });
    expect(create).toHaveFocus();
    const prompt = within(dialog).getByRole('switch', { name: 'Show the prompt' });
    expect(prompt).not.toBeChecked();
    await user.click(prompt);
    expect(prompt).toBeChecked();
    await user.click(create);

    const link = await within(dialog).findByLabelText('Link');
    expect(sharePosts(server)).toHaveLength(1);
    expect(sharePosts(server)[0]).toMatchObject({
      url: '/images/c/share',
      data: { show_prompt: true },
    });
    const url = server.shares[0]!.url;
    expect(link).toHaveValue(url);
    expect(link).toHaveFocus();
    expect(within(dialog).getByRole('switch', { name: 'Show the prompt' })).toBeChecked();
    const open = within(dialog).getByRole('link', { name: /^Open/ });
    expect(open).toHaveAttribute('href', url);
    expect(open).toHaveAttribute('target', '_blank');
    expect(open).toHaveAttribute('rel', 'noopener noreferrer');

    await user.click(within(dialog).getByRole('button', { name: 'Copy link' }));
    expect(await navigator.clipboard.readText()).toBe(url);
    expect(within(dialog).getByRole('button', { name: 'Copied' })).toBeInTheDocument();

    // The grid behind learns of it without another question to the server.
    await waitFor(() => expect(within(tile('c')).getByText('Shared')).toBeInTheDocument());

    // Closed and opened again, it shows the same link: sharing again is not offered.
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.getByRole('button', { name: 'Share' })).toHaveFocus();
    dialog = await openShareDialog(user);
    expect(await within(dialog).findByLabelText('Link')).toHaveValue(url);
    expect(within(dialog).queryByRole('button', { name: 'Create link' })).not.toBeInTheDocument();
    expect(sharePosts(server)).toHaveLength(1);
  });

  it('changes whether the page shows the prompt by sharing again with the new value', async () => {
    const share = makeShare('c', { show_prompt: false });
    const { user, server } = await renderGallery({ shares: [share] }, '/gallery/c');
    const dialog = await openShareDialog(user);
    expect(await within(dialog).findByLabelText('Link')).toHaveValue(share.url);
    const prompt = within(dialog).getByRole('switch', { name: 'Show the prompt' });
    expect(prompt).not.toBeChecked();

    await user.click(prompt);
    await waitFor(() => expect(server.shares[0]!.show_prompt).toBe(true));
    expect(sharePosts(server).map((r) => r.data)).toEqual([{ show_prompt: true }]);
    await waitFor(() => expect(prompt).not.toHaveAttribute('aria-busy'));
    expect(prompt).toBeChecked();

    await user.click(prompt);
    await waitFor(() => expect(server.shares[0]!.show_prompt).toBe(false));
    expect(sharePosts(server).map((r) => r.data)).toEqual([
      { show_prompt: true },
      { show_prompt: false },
    ]);
    await waitFor(() => expect(prompt).not.toBeChecked());
    // The same link throughout.
    expect(server.shares).toHaveLength(1);
    expect(within(dialog).getByLabelText('Link')).toHaveValue(share.url);
  });

  it('stops sharing after a yes: the dialog is back to not shared, and the badge goes', async () => {
    const { user, server } = await renderGallery({ shares: [makeShare('c')] }, '/gallery/c');
    await waitFor(() => expect(within(tile('c')).getByText('Shared')).toBeInTheDocument());
    const dialog = await openShareDialog(user);
    const stop = await within(dialog).findByRole('button', { name: 'Stop sharing' });

    // Cancel asks nothing of the server.
    await user.click(stop);
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel' }),
    );
    expect(stop).toHaveFocus();
    expect(server.api.requests.some((r) => r.method === 'DELETE')).toBe(false);

    await user.click(stop);
    const question = screen.getByRole('alertdialog', { name: 'Stop sharing this image?' });
    expect(question).toHaveAccessibleDescription(/stops working at once/);
    await user.click(within(question).getByRole('button', { name: 'Stop sharing' }));

    const create = await within(dialog).findByRole('button', { name: 'Create link' });
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(create).toHaveFocus();
    expect(within(dialog).getByRole('status')).toHaveTextContent('Sharing stopped');
    expect(within(dialog).queryByLabelText('Link')).not.toBeInTheDocument();
    expect(server.api.requests.find((r) => r.method === 'DELETE')?.url).toBe('/images/c/share');
    expect(server.shares).toEqual([]);
    await waitFor(() => expect(within(tile('c')).queryByText('Shared')).not.toBeInTheDocument());
  });

  it('shows why a link could not be made, and makes none', async () => {
    const { user, server } = await renderGallery(
      {
        answer: (req) =>
          req.method === 'POST' && req.url.endsWith('/share')
            ? problem(429, 'rate_limited', 'Too many requests.')
            : undefined,
      },
      '/gallery/c',
    );
    const dialog = await openShareDialog(user);
    await user.click(within(dialog).getByRole('button', { name: 'Create link' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "You're going a little fast.",
    );
    expect(within(dialog).getByRole('button', { name: 'Create link' })).toBeInTheDocument();
    expect(within(dialog).queryByLabelText('Link')).not.toBeInTheDocument();
    expect(server.shares).toEqual([]);
    expect(within(tile('c')).queryByText('Shared')).not.toBeInTheDocument();
  });

  it('keeps the dialog’s keys to itself: arrows do not step the detail beneath', async () => {
    const { user } = await renderGallery({}, '/gallery/c');
    const dialog = await openShareDialog(user);
    within(dialog).getByRole('switch', { name: 'Show the prompt' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByTestId('where')).toHaveTextContent('/gallery/c');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Share this image' })).not.toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Image details' })).toBeInTheDocument();
  });

  it('offers no Share for an image in the trash, whose link would not work', async () => {
    const images = [...fiveImages(), makeImage('t', { trashed_at: '2026-11-30T08:00:00Z' })];
    await renderGallery({ images }, '/gallery/t');
    const detail = await screen.findByRole('dialog', { name: 'Image details' });
    await within(detail).findByText('This image is in the trash');
    expect(within(detail).queryByRole('button', { name: 'Share' })).not.toBeInTheDocument();
  });
});
