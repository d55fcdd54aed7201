import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { AuthContext } from '../features/auth/AuthContext';
import { testQueryClient } from '../test/utils';
import { routes } from './router';

function Broken(): never {
  throw new Error('a page that throws');
}

describe('the route table', () => {
  it('offers a reload when a page fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // The app's own shell and error screen, around a page that throws.
    const [root] = routes;
    const router = createMemoryRouter([
      {
        element: root?.element,
        errorElement: root?.errorElement,
        children: [{ index: true, element: <Broken /> }],
      },
    ]);
    render(
      <QueryClientProvider client={testQueryClient()}>
        <AuthContext.Provider
          value={{
            mode: 'local',
            status: 'signed-out',
            user: null,
            usage: null,
            signOut: async () => {},
          }}
        >
          <RouterProvider router={router} />
        </AuthContext.Provider>
      </QueryClientProvider>,
    );
    expect(
      await screen.findByRole('heading', { name: 'Something went wrong', level: 2 }),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: 'Reload the page' })).toBeEnabled();
    expect(screen.queryByRole('banner')).not.toBeInTheDocument();
    vi.restoreAllMocks();
  });
});
