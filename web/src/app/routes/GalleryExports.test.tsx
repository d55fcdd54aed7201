import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, fiveImages, type FakeServerOptions } from '../../test/fakeServer';
import { renderWithDetail } from '../../test/routes';
import { problem, type MockResponse } from '../../test/utils';
import { formatBytes, formatDateTime } from '../../utils/format';
import GalleryRoute from './Gallery';

/** The links the browser was asked to download, in order. */
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

/** A gate the test opens by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

/** The gallery (with what the app adds to it) over a fake server, opened at `route`. */
async function renderGallery(options: FakeServerOptions = {}, route = '/gallery') {
  const user = userEvent.setup();
  const server = fakeServer(options);
  const view = renderWithDetail(<GalleryRoute />, { route });
  await screen.findAllByTestId('gallery-item');
  return { user, server, ...view };
}

/** Holds every export request until the gate opens. */
const holdExports =
  (held: Promise<void>) =>
  (req: { url: string; method: string }): Promise<MockResponse | undefined> | undefined =>
    req.url === '/exports' && req.method === 'POST' ? held.then(() => undefined) : undefined;

const checkbox = (id: string) =>
  screen.getByRole('checkbox', { name: `Select image: prompt ${id}` });
const bar = () => screen.getByRole('toolbar', { name: 'Selected images' });
const zipButton = () => within(bar()).getByRole('button', { name: 'Download as ZIP' });

describe('Downloading images as a ZIP from the gallery', () => {
  it('packs the selected images, shows it being made, then downloads the ZIP', async () => {
    const answer = gate();
    const { user, server } = await renderGallery({ answer: holdExports(answer.opened) });
    await user.click(checkbox('d'));
    await user.click(checkbox('b'));
    await user.click(zipButton());

    const dialog = await screen.findByRole('dialog', { name: 'Download as ZIP' });
    expect(server.exportRequests()).toEqual([{ ids: ['d', 'b'] }]);
    expect(within(dialog).getByRole('status')).toHaveTextContent('Preparing a ZIP of 2 images…');
    // No share of the work is claimed: the server does not say how far along it is.
    const progress = within(dialog).getByRole('progressbar', { name: 'Preparing the ZIP' });
    expect(progress).not.toHaveAttribute('aria-valuenow');
    expect(within(dialog).getByTestId('export-elapsed')).toHaveTextContent('0 seconds');
    await waitFor(
      () => expect(within(dialog).getByTestId('export-elapsed')).toHaveTextContent('1 second'),
      { timeout: 2000 },
    );
    expect(downloaded).toEqual([]);

    answer.open();
    const made = await waitFor(() => {
      expect(server.exports).toHaveLength(1);
      return server.exports[0]!;
    });
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent(
        `Your ZIP is ready (2 images, ${formatBytes(2000)})`,
      ),
    );
    expect(downloaded).toEqual([made.url]);
    expect(within(dialog).queryByRole('progressbar')).not.toBeInTheDocument();
    const again = within(dialog).getByRole('link', { name: 'Download again' });
    expect(again).toHaveAttribute('href', made.url);
    expect(again).toHaveFocus();
    expect(dialog).toHaveTextContent(`the link works until ${formatDateTime(made.expires_at)}`);

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // The selection stays, for another action on it.
    expect(within(bar()).getByText('2 selected')).toBeInTheDocument();
  });

  it('stops waiting on Cancel: no download starts when the answer comes after', async () => {
    const answer = gate();
    const { user, server } = await renderGallery({ answer: holdExports(answer.opened) });
    await user.click(checkbox('c'));
    await user.click(zipButton());
    const dialog = await screen.findByRole('dialog', { name: 'Download as ZIP' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    answer.open();
    await waitFor(() => expect(server.exports).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(downloaded).toEqual([]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('says why it failed, and Retry tries again', async () => {
    let fail = true;
    const { user, server } = await renderGallery({
      answer: (req) =>
        req.url === '/exports' && fail
          ? problem(503, 'server_error', 'Storage is busy for a moment.')
          : undefined,
    });
    await user.click(checkbox('a'));
    await user.click(zipButton());
    const dialog = await screen.findByRole('dialog', { name: 'Download as ZIP' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Storage is busy for a moment.',
    );
    expect(downloaded).toEqual([]);

    fail = false;
    await user.click(within(dialog).getByRole('button', { name: 'Retry' }));
    await within(dialog).findByText('Your ZIP is ready (1 image, 1000 B)');
    expect(within(dialog).getByRole('link', { name: 'Download again' })).toHaveFocus();
    expect(server.exportRequests()).toEqual([{ ids: ['a'] }, { ids: ['a'] }]);
    expect(downloaded).toEqual([server.exports[0]!.url]);
  });

  it('is unavailable, and says why, with more images selected than a ZIP holds', async () => {
    const { user, server } = await renderGallery({ exportMax: 2 });
    await user.click(checkbox('e'));
    await user.click(checkbox('c'));
    await waitFor(() => expect(zipButton()).not.toHaveAttribute('aria-disabled'));
    await user.click(checkbox('a'));

    const button = zipButton();
    await waitFor(() => expect(button).toHaveAttribute('aria-disabled', 'true'));
    expect(button).toHaveAccessibleDescription('A ZIP holds at most 2 images: select fewer.');
    await user.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(server.exportRequests()).toEqual([]);
  });

  it('downloads all the favourites from the favourites view', async () => {
    const images = fiveImages().map((i) => ({ ...i, favorite: ['d', 'b'].includes(i.id) }));
    const { user, server } = await renderGallery({ images }, '/gallery?favorites=1');
    await waitFor(() => expect(screen.getAllByTestId('gallery-item')).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Download favourites' }));

    const dialog = await screen.findByRole('dialog', { name: 'Download as ZIP' });
    await within(dialog).findByText(`Your ZIP is ready (2 images, ${formatBytes(2000)})`);
    expect(server.exportRequests()).toEqual([{ favorites: true }]);
    expect(downloaded).toEqual([server.exports[0]!.url]);
  });

  it('offers no favourites download outside the favourites view', async () => {
    await renderGallery();
    expect(screen.queryByRole('button', { name: 'Download favourites' })).not.toBeInTheDocument();
  });

  it('names the limit when the server finds too many images for one ZIP', async () => {
    const images = fiveImages().map((i) => ({ ...i, favorite: true }));
    const answer = gate();
    // Searching, the page cannot count all the favourites: the server does.
    const { user } = await renderGallery(
      { images, exportMax: 3, answer: holdExports(answer.opened) },
      '/gallery?favorites=1&q=prompt',
    );
    await user.click(screen.getByRole('button', { name: 'Download favourites' }));

    const dialog = await screen.findByRole('dialog', { name: 'Download as ZIP' });
    expect(within(dialog).getByRole('status')).toHaveTextContent(
      'Preparing a ZIP of your favourites…',
    );
    answer.open();
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Too many images for one ZIP');
    expect(alert).toHaveTextContent(
      'A ZIP holds at most 3 images. Select fewer images and try again.',
    );
    // The same request would be refused again.
    expect(within(dialog).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    expect(downloaded).toEqual([]);
  });
});
