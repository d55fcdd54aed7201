import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthContext } from '../../features/auth/AuthContext';
import { installErrorReporting, rootErrorOptions } from '../../lib/errorReporting';
import { testQueryClient, testMe } from '../../test/utils';
import { routes } from '../router';

const sendFetch = vi.fn<typeof fetch>();
let uninstall = () => {};

beforeEach(() => {
  sendFetch.mockReset();
  sendFetch.mockResolvedValue(new Response(null, { status: 202 }));
  vi.stubGlobal('fetch', sendFetch);
  vi.spyOn(console, 'error').mockImplementation(() => {});
  uninstall = installErrorReporting();
});

afterEach(() => {
  uninstall();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.history.replaceState(null, '', '/');
});

function ImageThatThrows(): never {
  throw new Error('Cannot show image for ada@example.com: bad token eyJhbGciOiJIUzI1NiJ9.e30.x');
}

/** The app's shell and error screen, around a page that throws, at `path`. */
function renderBrokenPageAt(path: string, options: Parameters<typeof render>[1] = {}) {
  window.history.replaceState(null, '', path);
  const [root] = routes;
  const router = createMemoryRouter(
    [
      {
        element: root?.element,
        errorElement: root?.errorElement,
        children: [{ path: 'collections/:collectionId/:id', element: <ImageThatThrows /> }],
      },
    ],
    { initialEntries: [path] },
  );
  return render(
    <QueryClientProvider client={testQueryClient()}>
      <AuthContext.Provider
        value={{ mode: 'local', status: 'signed-in', ...testMe, signOut: async () => {} }}
      >
        <RouterProvider router={router} />
      </AuthContext.Provider>
    </QueryClientProvider>,
    options,
  );
}

const sentBodies = () => sendFetch.mock.calls.map(([, init]) => JSON.parse(String(init?.body)));

describe('a page that throws', () => {
  it('is reported once, scrubbed, under its route pattern, though React and the router both see it', async () => {
    // React's root callback sees the error the router's boundary caught; the error screen reports it too.
    const onCaughtError = vi.fn(rootErrorOptions.onCaughtError);
    renderBrokenPageAt('/collections/c1/01JD7K2M9X', { onCaughtError });

    expect(
      await screen.findByRole('heading', { name: 'Something went wrong', level: 2 }),
    ).toBeVisible();
    expect(onCaughtError).toHaveBeenCalled();
    expect(sendFetch).toHaveBeenCalledTimes(1);
    const [report] = sentBodies();
    expect(report).toMatchObject({
      message: 'Error: Cannot show image for [email]: bad token [token]',
      route: '/collections/:collectionId/:id',
      release: __APP_RELEASE__,
    });
    expect(report.stack).toContain('ImageThatThrows');
    expect(JSON.stringify(report)).not.toMatch(/ada@|eyJ/);
  });

  it('is reported by the error screen alone when nothing else reports it', async () => {
    renderBrokenPageAt('/collections/c1/i1');
    await screen.findByRole('heading', { name: 'Something went wrong', level: 2 });
    expect(sentBodies()).toEqual([
      expect.objectContaining({ route: '/collections/:collectionId/:id' }),
    ]);
  });
});
