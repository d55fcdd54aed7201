import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, type FakeServerOptions } from '../../../test/fakeServer';
import { makeExport } from '../../../test/fixtures';
import { problem, renderWithProviders } from '../../../test/utils';
import { formatDateTime } from '../../../utils/format';
import { ExportsSection } from './ExportsSection';

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

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

async function renderSection(options: FakeServerOptions = {}, imageCount?: number) {
  const user = userEvent.setup();
  const server = fakeServer(options);
  renderWithProviders(<ExportsSection imageCount={imageCount} />);
  const section = await screen.findByRole('region', { name: 'Your data' });
  return { user, server, section };
}

const items = () =>
  within(screen.getByRole('list', { name: 'Your recent ZIPs' })).getAllByRole('listitem');

describe('Your data on the profile', () => {
  it('lists the recent ZIPs with their size, when they were made and when their link expires', async () => {
    const fresh = makeExport('x2', {
      image_count: 240,
      bytes: 12_900_000,
      created_at: '2026-12-01T10:00:00Z',
      expires_at: inHours(5.5),
    });
    const older = makeExport('x1', { image_count: 1, bytes: 900_000, expires_at: inHours(0.5) });
    const { user } = await renderSection({ exports: [fresh, older] });

    await waitFor(() => expect(items()).toHaveLength(2));
    const [first, second] = items().map((li) => within(li));
    expect(first!.getByText('ZIP of 240 images')).toBeInTheDocument();
    expect(first!.getByText('Size').nextElementSibling).toHaveTextContent('12 MB');
    expect(first!.getByText('Made').nextElementSibling).toHaveTextContent(
      formatDateTime('2026-12-01T10:00:00Z'),
    );
    expect(first!.getByText('Link expires in 5 hours')).toBeInTheDocument();
    const link = first!.getByRole('link', { name: 'Download' });
    expect(link).toHaveAttribute('href', fresh.url);
    expect(link).toHaveAttribute('download');
    expect(link).toHaveAccessibleDescription('ZIP of 240 images');

    expect(second!.getByText('ZIP of 1 image')).toBeInTheDocument();
    expect(second!.getByText('Size').nextElementSibling).toHaveTextContent('879 KB');
    expect(second!.getByText('Link expires in 29 minutes')).toBeInTheDocument();
    await user.click(second!.getByRole('button', { name: 'Copy link' }));
    expect(await navigator.clipboard.readText()).toBe(older.url);
  });

  it('offers no link for a ZIP whose link has expired while the page was open', async () => {
    await renderSection({ exports: [makeExport('x1', { expires_at: inHours(-0.1) })] });
    await waitFor(() => expect(items()).toHaveLength(1));
    const item = within(items()[0]!);
    expect(item.getByText('Link expired')).toBeInTheDocument();
    expect(item.queryByRole('link')).not.toBeInTheDocument();
    expect(item.queryByRole('button', { name: 'Copy link' })).not.toBeInTheDocument();
  });

  it('downloads everything, and the new ZIP heads the list', async () => {
    const { user, server, section } = await renderSection(
      { exports: [makeExport('x1', { expires_at: inHours(3) })] },
      5,
    );
    await waitFor(() => expect(items()).toHaveLength(1));
    expect(section).toHaveTextContent('All 5 images in your gallery; the trash is left out.');
    expect(section).toHaveTextContent('Its link works for 24 hours, without signing in.');
    await user.click(within(section).getByRole('button', { name: 'Download everything' }));

    const dialog = await screen.findByRole('dialog', { name: 'Download as ZIP' });
    await within(dialog).findByText(/^Your ZIP is ready \(5 images, /);
    expect(server.exportRequests()).toEqual([{}]);
    const made = server.exports[0]!;
    expect(downloaded).toEqual([made.url]);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    await waitFor(() => expect(items()).toHaveLength(2));
    expect(within(items()[0]!).getByRole('link', { name: 'Download' })).toHaveAttribute(
      'href',
      made.url,
    );
  });

  it('says there is nothing to download when the gallery holds no images', async () => {
    const { user, server, section } = await renderSection({ images: [] });
    await screen.findByText(/No recent ZIPs/);
    await user.click(within(section).getByRole('button', { name: 'Download everything' }));

    const alert = await within(
      await screen.findByRole('dialog', { name: 'Download as ZIP' }),
    ).findByRole('alert');
    expect(alert).toHaveTextContent('Nothing to download');
    expect(alert).toHaveTextContent('Images in the trash are left out.');
    expect(server.exportRequests()).toEqual([{}]);
    expect(downloaded).toEqual([]);
  });

  it('is unavailable when the gallery holds more images than a ZIP may', async () => {
    const { user, server, section } = await renderSection({ exportMax: 1000 }, 1500);
    const button = within(section).getByRole('button', { name: 'Download everything' });
    await waitFor(() => expect(button).toHaveAttribute('aria-disabled', 'true'));
    expect(button).toHaveAccessibleDescription(
      'A ZIP holds at most 1,000 images: download a collection or a selection from the gallery instead.',
    );
    await user.click(button);
    expect(server.exportRequests()).toEqual([]);
  });

  it('offers to retry when the list cannot be loaded', async () => {
    let fail = true;
    await renderSection({
      answer: (req) =>
        req.url === '/exports' && req.method === 'GET' && fail
          ? problem(503, 'server_error', 'Down for a moment.')
          : undefined,
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't load your recent ZIPs");
    fail = false;
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText(/No recent ZIPs/)).toBeInTheDocument();
  });
});
