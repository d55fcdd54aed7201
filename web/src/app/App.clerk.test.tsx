import { screen, waitFor } from '@testing-library/react';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { makeConfig, mockApi, testMe, testQueryClient, type RecordedRequest } from '../test/utils';

// A stand-in for Clerk's SDK: records how the app uses it and renders markers
// where Clerk's components would be.
const clerk = vi.hoisted(() => ({
  loaded: 0,
  signedIn: true,
  token: 'clerk-session-token',
  providerProps: null as null | Record<string, unknown>,
  signOut: async () => {},
}));

vi.mock('@clerk/react', () => {
  clerk.loaded += 1;
  return {
    ClerkProvider: ({ children, ...props }: { children: ReactNode }) => {
      clerk.providerProps = props;
      return <>{children}</>;
    },
    SignIn: ({ path }: { path: string }) => <div>Clerk sign-in at {path}</div>,
    SignUp: ({ path }: { path: string }) => <div>Clerk sign-up at {path}</div>,
    UserProfile: () => <div>Clerk user profile</div>,
    UserButton: () => <button type="button">Clerk user button</button>,
    getToken: async () => (clerk.signedIn ? clerk.token : null),
    useAuth: () => ({
      isLoaded: true,
      isSignedIn: clerk.signedIn,
      userId: clerk.signedIn ? 'user_2clerk' : null,
      signOut: clerk.signOut,
    }),
  };
});

const me = {
  user: {
    id: 'user_2clerk',
    email: 'ada@example.com',
    display_name: 'Ada',
    created_at: '2026-01-01T00:00:00Z',
  },
  usage: { ...testMe.usage, images: 3, storage_bytes: 1024, generations_this_month: 3 },
};

function clerkConfig() {
  const config = makeConfig();
  config.auth = { mode: 'clerk', clerk_publishable_key: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k' };
  return config;
}

/** A server that, like ours in Clerk mode, knows the caller only by bearer token. */
function server(config = clerkConfig()) {
  return mockApi((req: RecordedRequest) => {
    if (req.url === '/config') return { data: config };
    if (req.headers.Authorization !== `Bearer ${clerk.token}`) {
      return {
        status: 401,
        headers: { 'content-type': 'application/problem+json' },
        data: { status: 401, code: 'unauthenticated', detail: 'Sign-in required.' },
      };
    }
    if (req.url === '/me') return { data: me };
    return { data: { items: [], next_cursor: null } };
  });
}

function renderAppAt(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App queryClient={testQueryClient()} />);
}

describe('sign-in modes', () => {
  beforeEach(() => {
    clerk.signedIn = true;
    clerk.providerProps = null;
  });
  afterEach(() => {
    window.history.replaceState(null, '', '/');
  });

  it('local mode shows the built-in form and never loads Clerk', async () => {
    server(makeConfig());
    renderAppAt('/sign-in');
    expect(await screen.findByLabelText('Password')).toBeInTheDocument();
    expect(screen.queryByText(/Clerk sign-in/)).not.toBeInTheDocument();
    expect(clerk.loaded).toBe(0);
  });

  it('Clerk mode sends the session token with every API call', async () => {
    const api = server();
    renderAppAt('/profile');
    expect(await screen.findByText('Clerk user profile')).toBeInTheDocument();
    expect(clerk.loaded).toBe(1);
    const calls = api.requests.filter((req) => req.url !== '/config');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.headers.Authorization).toBe(`Bearer ${clerk.token}`);
    }
    // The publishable key comes from the server at run time.
    expect(clerk.providerProps?.publishableKey).toBe('pk_test_Y2xlcmsuZXhhbXBsZS5jb20k');
    expect(typeof clerk.providerProps?.routerPush).toBe('function');
    expect(typeof clerk.providerProps?.routerReplace).toBe('function');
  });

  it("Clerk mode shows Clerk's user button and usage from our API", async () => {
    server();
    renderAppAt('/profile');
    expect(await screen.findByRole('button', { name: 'Clerk user button' })).toBeInTheDocument();
    expect(await screen.findByText('Images in gallery')).toBeInTheDocument();
  });

  it('Clerk mode lists the API keys on the profile, asked for with the session token', async () => {
    const api = server();
    renderAppAt('/profile');
    expect(await screen.findByText('No API keys yet.')).toBeInTheDocument();
    const asked = api.requests.find((req) => req.url === '/keys');
    expect(asked?.headers.Authorization).toBe(`Bearer ${clerk.token}`);
  });

  it("Clerk mode signs in and up with Clerk's components", async () => {
    clerk.signedIn = false;
    server();
    renderAppAt('/sign-in/factor-one');
    expect(await screen.findByText('Clerk sign-in at /sign-in')).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
  });

  it("Clerk mode's sign-up page is Clerk's", async () => {
    clerk.signedIn = false;
    server();
    renderAppAt('/sign-up');
    expect(await screen.findByText('Clerk sign-up at /sign-up')).toBeInTheDocument();
  });

  it('Clerk mode sends signed-out visitors of protected pages to sign-in', async () => {
    clerk.signedIn = false;
    server();
    renderAppAt('/gallery');
    expect(await screen.findByText('Clerk sign-in at /sign-in')).toBeInTheDocument();
    await waitFor(() => expect(window.location.pathname).toBe('/sign-in'));
  });
});
