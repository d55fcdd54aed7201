import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { fakeServer } from '../test/fakeServer';
import { testQueryClient } from '../test/utils';

function renderAppAt(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App queryClient={testQueryClient()} />);
}

/** The header's navigation as it is now (it is rendered anew once sign-in is known). */
const mainNav = () => within(screen.getByRole('navigation', { name: 'Main' }));

describe('the admin page in the app', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('is linked from the header for admins, and shows them the figures', async () => {
    fakeServer({ admin: true });
    renderAppAt('/gallery');

    const link = await waitFor(() => mainNav().getByRole('link', { name: 'Admin' }));
    expect(link).toHaveAttribute('href', '/admin');
    await userEvent.click(link);
    expect(await screen.findByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
    expect(await screen.findByRole('region', { name: 'Overview' })).toHaveTextContent('12');
    expect(window.location.pathname).toBe('/admin');
  });

  it('is neither linked nor shown to anyone else: /admin is the not-found page', async () => {
    fakeServer();
    renderAppAt('/admin');

    expect(await screen.findByText('This page wandered off the canvas')).toBeVisible();
    // Signed in (the page answered), with the usual links, but not this one.
    expect(mainNav().getByRole('link', { name: 'Gallery' })).toBeVisible();
    expect(mainNav().queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Admin' })).not.toBeInTheDocument();
  });
});
