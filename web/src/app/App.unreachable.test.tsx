import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AxiosError } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { makeConfig, mockApi, problem, testMe, testQueryClient } from '../test/utils';

function renderAppAt(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App queryClient={testQueryClient()} />);
}

describe('when the server cannot be reached', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('a failing /api/me does not sign the person out, and Retry recovers', async () => {
    let up = false;
    mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/me') return up ? { data: testMe } : problem(503, 'server_error', 'Down.');
      return { data: { items: [], next_cursor: null } };
    });
    renderAppAt('/gallery');

    expect(await screen.findByText("Can't reach the server")).toBeInTheDocument();
    expect(window.location.pathname).toBe('/gallery');
    up = true;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Your gallery is empty')).toBeInTheDocument();
    expect(window.location.pathname).toBe('/gallery');
  });

  it('a failing /api/config does not fall back to the local sign-in form', async () => {
    mockApi((req) => {
      if (req.url === '/config') throw new AxiosError('Network Error', 'ERR_NETWORK');
      return { status: 401, data: { status: 401, code: 'unauthenticated' } };
    });
    renderAppAt('/sign-in');

    expect(await screen.findByText("Can't reach the server")).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled());
  });
});
