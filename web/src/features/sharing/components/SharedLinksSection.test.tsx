import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeServer, type FakeServerOptions } from '../../../test/fakeServer';
import { makeShare } from '../../../test/fixtures';
import { problem, renderWithProviders } from '../../../test/utils';
import type { Share } from '../../../types/api';
import { formatDate } from '../../../utils/format';
import { SharedLinksSection } from './SharedLinksSection';

const names: Record<string, string> = { trips: 'Trips' };
const nameOf = (share: Share) => names[share.target_id];

async function renderSection(options: FakeServerOptions = {}) {
  const user = userEvent.setup();
  const server = fakeServer(options);
  renderWithProviders(<SharedLinksSection nameOf={nameOf} />);
  const section = await screen.findByRole('region', { name: 'Shared links' });
  return { user, server, section };
}

const items = () =>
  within(screen.getByRole('list', { name: 'Your shared links' })).getAllByRole('listitem');

describe('Shared links on the profile', () => {
  it('lists each link with what it shows, since when, and the link to copy or open', async () => {
    const image = makeShare('a', { show_prompt: true, created_at: '2026-11-29T10:00:00Z' });
    const collection = makeShare('trips', { kind: 'collection', token: 'tok-trips' });
    const { user } = await renderSection({ shares: [image, collection] });

    await waitFor(() => expect(items()).toHaveLength(2));
    const [first, second] = items().map((li) => within(li));
    expect(first!.getByRole('link', { name: 'Image' })).toHaveAttribute('href', '/gallery/a');
    expect(first!.getByText(image.url)).toBeInTheDocument();
    expect(first!.getByText('Shared').nextElementSibling).toHaveTextContent(
      formatDate('2026-11-29T10:00:00Z'),
    );
    expect(first!.getByText('Prompt shown')).toBeInTheDocument();
    const open = first!.getByRole('link', { name: /^Open/ });
    expect(open).toHaveAttribute('href', image.url);
    expect(open).toHaveAttribute('target', '_blank');
    expect(open).toHaveAttribute('rel', 'noopener noreferrer');

    expect(second!.getByRole('link', { name: 'Collection “Trips”' })).toHaveAttribute(
      'href',
      '/collections/trips',
    );
    expect(second!.getByText('Prompts hidden')).toBeInTheDocument();
    const copy = second!.getByRole('button', { name: 'Copy link' });
    expect(copy).toHaveAccessibleDescription('Collection “Trips”');
    await user.click(copy);
    expect(await navigator.clipboard.readText()).toBe(collection.url);
  });

  it('says so when nothing is shared', async () => {
    await renderSection();
    expect(
      await screen.findByText(/Nothing shared yet\. Share an image from its details/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Your shared links' })).not.toBeInTheDocument();
  });

  it('stops a link after a yes, and it leaves the list', async () => {
    const { user, server } = await renderSection({
      shares: [makeShare('a'), makeShare('trips', { kind: 'collection' })],
    });
    await waitFor(() => expect(items()).toHaveLength(2));
    await user.click(within(items()[1]!).getByRole('button', { name: 'Stop sharing' }));
    const question = screen.getByRole('alertdialog', { name: 'Stop sharing “Trips”?' });
    await user.click(within(question).getByRole('button', { name: 'Stop sharing' }));

    await waitFor(() => expect(items()).toHaveLength(1));
    expect(server.api.requests.find((r) => r.method === 'DELETE')?.url).toBe(
      '/collections/trips/share',
    );
    expect(server.shares.map((s) => s.target_id)).toEqual(['a']);
    expect(
      await screen.findByText('Stopped sharing “Trips”. Its link no longer works.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Shared links' })).toHaveFocus();
  });

  it('keeps the link and says why when the server refuses to stop it', async () => {
    const { user, server } = await renderSection({
      shares: [makeShare('a')],
      answer: (req) =>
        req.method === 'DELETE' ? problem(500, 'internal_error', 'Something broke.') : undefined,
    });
    await waitFor(() => expect(items()).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'Stop sharing' }));
    const question = screen.getByRole('alertdialog', { name: 'Stop sharing this image?' });
    await user.click(within(question).getByRole('button', { name: 'Stop sharing' }));

    expect(await within(question).findByRole('alert')).toHaveTextContent('Something broke.');
    expect(items()).toHaveLength(1);
    expect(server.shares).toHaveLength(1);
  });

  it('takes a link stopped elsewhere (404) as stopped', async () => {
    const { user, server } = await renderSection({ shares: [makeShare('a')] });
    await waitFor(() => expect(items()).toHaveLength(1));
    server.shares.length = 0;
    await user.click(screen.getByRole('button', { name: 'Stop sharing' }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Stop sharing' }),
    );
    expect(await screen.findByText(/Nothing shared yet/)).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('offers to retry when the list cannot be loaded', async () => {
    let fail = true;
    await renderSection({
      answer: (req) =>
        req.url === '/shares' && fail
          ? problem(503, 'server_error', 'Down for a moment.')
          : undefined,
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't load your shared links");
    fail = false;
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText(/Nothing shared yet/)).toBeInTheDocument();
  });
});
