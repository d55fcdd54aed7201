import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderWithProviders, testMe } from '../../../test/utils';
import type { Usage } from '../../../types/api';
import ProfilePage from './Profile';

function meWith(usage: Partial<Usage>) {
  mockApi((req) =>
    req.url === '/me' ? { data: { ...testMe, usage: { ...testMe.usage, ...usage } } } : {},
  );
}

describe('Profile usage', () => {
  it('shows what the trash holds, linked to it', async () => {
    meWith({ images: 12, storage_bytes: 5_000_000, trash_images: 3, trash_bytes: 1_258_291 });
    renderWithProviders(<ProfilePage />, { route: '/profile' });
    const link = await screen.findByRole('link', { name: 'In trash: 3 images · 1.2 MB' });
    expect(link).toHaveAttribute('href', '/trash');
    // The account's count includes the trash; the gallery does not.
    expect(screen.getByText('Images in gallery').nextElementSibling).toHaveTextContent('9');
  });

  it('says nothing of the trash when it is empty', async () => {
    meWith({ images: 12, storage_bytes: 5_000_000, generations_this_month: 7 });
    renderWithProviders(<ProfilePage />, { route: '/profile' });
    expect(await screen.findByText('7 of 500 images')).toBeInTheDocument();
    expect(screen.queryByText(/In trash/)).not.toBeInTheDocument();
  });

  it("shows the month's drafts against their quota, and its cost against the budget", async () => {
    meWith({
      drafts_this_month: 42,
      monthly_draft_quota: 1000,
      cost_this_month_usd: 1.234,
      monthly_budget_usd: 5,
    });
    renderWithProviders(<ProfilePage />, { route: '/profile' });
    expect(await screen.findByText('42 of 1,000')).toBeInTheDocument();
    expect(screen.getByText('Drafts this month').nextElementSibling).toHaveTextContent(
      '42 of 1,000',
    );
    expect(screen.getByText('Cost this month').nextElementSibling).toHaveTextContent(
      '$1.23 of $5.00',
    );
  });
});
