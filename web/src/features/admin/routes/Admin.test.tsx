import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeServer } from '../../../test/fakeServer';
import { makeAdminStats } from '../../../test/fixtures';
import { problem, renderWithProviders } from '../../../test/utils';
import AdminPage from './Admin';

function renderPage() {
  return renderWithProviders(<AdminPage notFound={<p>Nothing here</p>} />, { route: '/admin' });
}

/** The figure shown under `label` (in the overview, unless told where). */
function figure(
  label: string,
  scope: Pick<typeof screen, 'getByText'> = within(
    screen.getByRole('region', { name: 'Overview' }),
  ),
) {
  return scope.getByText(label).nextElementSibling?.textContent;
}

describe('The Admin page', () => {
  it('shows the figures the server sends', async () => {
    fakeServer({
      admin: makeAdminStats(
        {
          '2026-11-20': { generations: 12, images: 30, failures: 1 },
          '2026-12-03': { generations: 4, images: 9 },
        },
        {
          by_model: [
            { provider: 'offline', model: 'flux-schnell', generations: 40, images: 90 },
            { provider: 'together', model: 'flux-dev', generations: 10, images: 10 },
          ],
          errors: {
            generation_failures: 3,
            rate_limited: 7,
            client_errors: 2,
            top_failure_codes: [
              { code: 'upstream_error', count: 2 },
              { code: 'upstream_timeout', count: 1 },
            ],
          },
        },
      ),
    });
    renderPage();

    expect(await screen.findByText('Users')).toBeVisible();
    expect(screen.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
    expect(figure('Users')).toBe('12');
    expect(figure('Active today')).toBe('3');
    expect(figure('Active, last 7 days')).toBe('5');
    expect(figure('Active, last 30 days')).toBe('9');
    expect(screen.getByText('75% of all users')).toBeVisible();
    expect(figure('Images')).toBe('340');
    expect(figure('Storage')).toBe('118 MB');

    // The chart says what it shows; the values are in a table for screen readers.
    expect(
      screen.getByRole('img', {
        name:
          'Generations and images per day, Nov 4, 2026 to Dec 3, 2026: 16 generations and 39 images in all; ' +
          'the busiest day was Nov 20, 2026, with 30 images.',
      }),
    ).toBeInTheDocument();
    const days = screen.getByRole('table', { name: 'Generations and images per day' });
    const rows = within(days).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(30);
    expect(
      within(rows[16]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['12', '30']);
    // A day without activity is a zero, not a gap.
    expect(
      within(rows[1]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['0', '0']);
    expect(within(rows[29]!).getByRole('rowheader')).toHaveTextContent('Dec 3, 2026');

    const models = screen.getByRole('table', { name: /by model/ });
    expect(
      within(models)
        .getAllByRole('row')
        .slice(1)
        .map((row) => [
          within(row).getByRole('rowheader').textContent,
          ...within(row)
            .getAllByRole('cell')
            .map((cell) => cell.textContent),
        ]),
    ).toEqual([
      ['flux-schnelloffline', '40', '90', '90%'],
      ['flux-devtogether', '10', '10', '10%'],
    ]);

    expect(figure('Generation failures', screen)).toBe('3');
    expect(figure('Rate-limited requests', screen)).toBe('7');
    expect(figure('Client errors', screen)).toBe('2');
    expect(
      within(screen.getByRole('list', { name: 'Top failure codes' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['upstream_error2', 'upstream_timeout1']);
  });

  it('says so when nothing has happened yet', async () => {
    fakeServer({ admin: true });
    renderPage();
    expect(await screen.findByText('No images made yet.')).toBeVisible();
    expect(screen.getByText('No generation failed in the last 30 days.')).toBeVisible();
    expect(
      screen.getByRole('img', { name: /0 generations and 0 images in all\.$/ }),
    ).toBeInTheDocument();
  });

  it('shows the not-found page to anyone the server does not count as an admin', async () => {
    fakeServer();
    renderPage();
    expect(await screen.findByText('Nothing here')).toBeVisible();
    expect(screen.queryByRole('heading', { name: 'Admin' })).not.toBeInTheDocument();
  });

  it('offers a retry when the figures cannot be loaded', async () => {
    let down = true;
    fakeServer({
      admin: true,
      answer: (req) =>
        down && req.url === '/admin/stats' ? problem(500, 'internal_error', 'Down.') : undefined,
    });
    renderPage();
    expect(await screen.findByText("Couldn't load the figures")).toBeVisible();
    down = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Users')).toBeVisible();
  });
});
