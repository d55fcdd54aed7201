import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { testMe } from '../../test/utils';
import type { Usage } from '../../types/api';
import { formatDateTime } from '../../utils/format';
import { UsageMeter } from './UsageMeter';

const usage = (overrides: Partial<Usage>): Usage => ({ ...testMe.usage, ...overrides });

function renderMeter(u: Usage, priced = false) {
  render(
    <MemoryRouter>
      <UsageMeter usage={u} priced={priced} />
    </MemoryRouter>,
  );
  return screen.getByTestId('usage-meter');
}

describe('the usage meter', () => {
  it('shows the images of the month against the quota, in the normal colour below 80 %', () => {
    const meter = renderMeter(usage({ generations_this_month: 79, monthly_quota: 100 }));
    expect(meter).toHaveTextContent('79 / 100');
    expect(meter).toHaveAttribute('data-level', 'ok');
    expect(meter).not.toHaveClass('text-amber-700');
    expect(meter).not.toHaveClass('text-red-700');
  });

  it('turns amber at 80 %', () => {
    const meter = renderMeter(usage({ generations_this_month: 80, monthly_quota: 100 }));
    expect(meter).toHaveAttribute('data-level', 'near');
    expect(meter).toHaveClass('text-amber-700');
  });

  it('turns red at 100 %', () => {
    const meter = renderMeter(usage({ generations_this_month: 100, monthly_quota: 100 }));
    expect(meter).toHaveAttribute('data-level', 'reached');
    expect(meter).toHaveClass('text-red-700');
  });

  it("shows the month's cost when a model has a price, against the budget if there is one", () => {
    const meter = renderMeter(
      usage({
        generations_this_month: 7,
        monthly_quota: 500,
        cost_this_month_usd: 4.1,
        monthly_budget_usd: 5,
      }),
      true,
    );
    expect(meter).toHaveTextContent('7 / 500 images · , $4.10 / $5.00');
    // 82 % of the budget, though 1 % of the images.
    expect(meter).toHaveAttribute('data-level', 'near');
  });

  it('leaves the cost out when every model is free', () => {
    const meter = renderMeter(usage({ generations_this_month: 7 }));
    expect(meter).toHaveTextContent('This month: 7 / 500 images');
    expect(meter).not.toHaveTextContent('$');
  });

  it('tells when the counts reset, to the pointer and to keyboard focus alike', async () => {
    const resets = '2027-01-01T00:00:00Z';
    const meter = renderMeter(usage({ resets_at: resets }));
    const text = `Resets ${formatDateTime(resets)}`;
    expect(screen.getByRole('tooltip', { hidden: true })).toHaveTextContent(text);
    // Its accessible description: read out on focus, and shown by CSS on hover and focus.
    expect(meter).toHaveAccessibleDescription(text);
    await userEvent.tab();
    expect(meter).toHaveFocus();
    expect(meter).toHaveAttribute('href', '/profile');
  });
});
