import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeServer, type FakeServerOptions } from '../../../test/fakeServer';
import { makeApiKey } from '../../../test/fixtures';
import { problem, renderWithProviders } from '../../../test/utils';
import { formatDate, formatDateTime } from '../../../utils/format';
import { ApiKeysSection } from './ApiKeysSection';

type User = ReturnType<typeof userEvent.setup>;

/** The section over a fake server holding `options.keys`, once they have loaded. */
async function renderKeys(options: FakeServerOptions = {}) {
  const user = userEvent.setup();
  const server = fakeServer(options);
  const { client } = renderWithProviders(<ApiKeysSection />);
  if (options.keys?.length) await screen.findByRole('list', { name: 'Your API keys' });
  else await screen.findByText('No API keys yet.');
  return { user, server, client };
}

async function createKey(user: User, name: string) {
  await user.type(screen.getByLabelText('Name'), name);
  await user.click(screen.getByRole('button', { name: 'Create key' }));
}

const row = (name: string) =>
  screen.getByRole('button', { name: `Revoke ${name}` }).closest('li') as HTMLElement;

describe('API keys', () => {
  it('lists each key with its prefix, when it was last used and when it expires', async () => {
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await renderKeys({
      keys: [
        makeApiKey('k1', { name: 'Laptop', prefix: 'pcp_ab12' }),
        makeApiKey('k2', {
          name: 'CI',
          last_used_at: '2026-11-25T10:30:00Z',
          expires_at: future,
        }),
        makeApiKey('k3', { name: 'Old script', expires_at: '2026-01-02T00:00:00Z' }),
      ],
    });

    const list = screen.getByRole('list', { name: 'Your API keys' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);

    const laptop = within(row('Laptop'));
    expect(laptop.getByText('pcp_ab12…')).toHaveClass('font-mono');
    expect(laptop.getByText('Created').nextElementSibling).toHaveTextContent(
      formatDate('2026-11-20T08:00:00Z'),
    );
    expect(laptop.getByText('Last used').nextElementSibling).toHaveTextContent(/^never$/);
    expect(laptop.getByText('Never expires')).toBeInTheDocument();

    const ci = within(row('CI'));
    expect(ci.getByText('Last used').nextElementSibling).toHaveTextContent(
      formatDateTime('2026-11-25T10:30:00Z'),
    );
    expect(ci.getByText(`Expires ${formatDate(future)}`)).toBeInTheDocument();

    expect(
      within(row('Old script')).getByText(`Expired ${formatDate('2026-01-02T00:00:00Z')}`),
    ).toBeInTheDocument();
  });

  it('shows a new key’s secret once, with a command to try it; Done forgets it', async () => {
    const { user, server, client } = await renderKeys({
      keys: [makeApiKey('k1', { name: 'Laptop' })],
    });

    await user.selectOptions(screen.getByLabelText('Expires after'), '30 days');
    await createKey(user, '  Nightly backup  ');

    const panel = await screen.findByRole('region', { name: 'Your new key “Nightly backup”' });
    expect(server.api.requests.find((r) => r.method === 'POST' && r.url === '/keys')?.data).toEqual(
      { name: 'Nightly backup', expires_in_days: 30 },
    );
    const secret = (within(panel).getByLabelText('Secret key') as HTMLInputElement).value;
    expect(secret).toMatch(/^pcp_/);
    expect(panel).toHaveFocus();
    expect(within(panel).getByText(/it will not be shown again/i)).toBeInTheDocument();
    // The command generates an image with the key, against this very site.
    const command = panel.querySelector('pre')!.textContent!;
    expect(command).toContain(`curl -X POST ${window.location.origin}/api/generations`);
    expect(command).toContain(`-H "Authorization: Bearer ${secret}"`);
    expect(command).toContain(`-d '{"prompt": "a lighthouse at dawn"}'`);

    await user.click(within(panel).getByRole('button', { name: 'Copy key' }));
    expect(await navigator.clipboard.readText()).toBe(secret);
    await user.click(within(panel).getByRole('button', { name: 'Copy command' }));
    expect(await navigator.clipboard.readText()).toBe(command);

    // The list shows the key; neither cache ever held its secret.
    expect(row('Nightly backup')).toBeInTheDocument();
    const cached = JSON.stringify([
      client
        .getQueryCache()
        .getAll()
        .map((q) => q.state),
      client
        .getMutationCache()
        .getAll()
        .map((m) => m.state),
    ]);
    expect(cached).not.toContain(secret);

    await user.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: /Your new key/ })).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(secret);
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(screen.getByLabelText('Name')).toHaveValue('');
  });

  it('leaves the expiry out for a key that never expires', async () => {
    const { user, server } = await renderKeys();
    await createKey(user, 'Laptop');

    await screen.findByRole('region', { name: 'Your new key “Laptop”' });
    expect(server.api.requests.find((r) => r.method === 'POST')?.data).toEqual({
      name: 'Laptop',
    });
    expect(within(row('Laptop')).getByText('Never expires')).toBeInTheDocument();
  });

  it('asks for a name before asking the server', async () => {
    const { user, server } = await renderKeys();
    await createKey(user, '   ');

    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/Give the key a name/);
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(server.api.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('shows the server’s reason when it refuses a key beyond the limit', async () => {
    const { user } = await renderKeys({
      keys: Array.from({ length: 20 }, (_, i) => makeApiKey(`k${i}`)),
    });
    await createKey(user, 'One more');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You have 20 live keys: revoke one first.',
    );
    expect(screen.queryByRole('region', { name: /Your new key/ })).not.toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(20);
  });

  it('revokes a key after a yes, and the list updates', async () => {
    const { user, server } = await renderKeys({
      keys: [makeApiKey('k1', { name: 'Laptop' }), makeApiKey('k2', { name: 'CI' })],
    });

    // Cancel asks nothing of the server and gives the focus back.
    const revokeCi = screen.getByRole('button', { name: 'Revoke CI' });
    await user.click(revokeCi);
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel' }),
    );
    expect(revokeCi).toHaveFocus();
    expect(server.api.requests.some((r) => r.method === 'DELETE')).toBe(false);

    await user.click(revokeCi);
    const dialog = screen.getByRole('alertdialog', { name: 'Revoke “CI”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke key' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(server.api.requests.find((r) => r.method === 'DELETE')?.url).toBe('/keys/k2');
    expect(screen.queryByRole('button', { name: 'Revoke CI' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Revoke Laptop' })).toBeInTheDocument();
    expect(server.keys.map((k) => k.id)).toEqual(['k1']);
    expect(await screen.findByText('Revoked “CI”. It no longer works.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'API keys' })).toHaveFocus();
  });

  it('keeps the key and says why when revoking fails', async () => {
    const { user } = await renderKeys({
      keys: [makeApiKey('k1', { name: 'Laptop' })],
      answer: (req) =>
        req.method === 'DELETE' ? problem(500, 'internal_error', 'Something broke.') : undefined,
    });
    await user.click(screen.getByRole('button', { name: 'Revoke Laptop' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke key' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Something broke.');
    expect(screen.getByRole('button', { name: 'Revoke Laptop' })).toBeInTheDocument();
  });
});
