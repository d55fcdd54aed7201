import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { meStatus, useLogOut, useMe } from '../api/auth';
import { useConfig } from '../../../lib/config';
import { AuthContext, type AuthState } from '../AuthContext';
import type { Navigator } from '../navigator';

// Clerk's SDK is only downloaded when the server runs in Clerk mode.
const ClerkAuthProvider = lazy(() => import('./clerk/ClerkAuthProvider'));

function loading(mode: AuthState['mode']): AuthState {
  return { mode, status: 'loading', user: null, usage: null, signOut: async () => {} };
}
const LOADING_CONFIG = loading('local');
const LOADING_CLERK = loading('clerk');

/** Picks the sign-in implementation the server's configuration asks for. */
export function AuthProvider({
  navigator,
  children,
}: {
  navigator: Navigator;
  children: ReactNode;
}) {
  const config = useConfig();
  // Until the server says which mode it runs, nobody asks who is signed in:
  // an answer without Clerk's token would wrongly cache "signed out".
  if (config.isPending) {
    return <AuthContext.Provider value={LOADING_CONFIG}>{children}</AuthContext.Provider>;
  }
  // Without the configuration the sign-in mode is unknown: guessing "local"
  // would offer a form that cannot work on a Clerk server.
  if (!config.data) {
    const value: AuthState = {
      ...loading('local'),
      status: 'unreachable',
      retry: () => void config.refetch(),
    };
    return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
  }
  const publishableKey = config.data?.auth.clerk_publishable_key;
  if (config.data?.auth.mode === 'clerk' && publishableKey) {
    return (
      <Suspense
        fallback={<AuthContext.Provider value={LOADING_CLERK}>{children}</AuthContext.Provider>}
      >
        <ClerkAuthProvider publishableKey={publishableKey} navigator={navigator}>
          {children}
        </ClerkAuthProvider>
      </Suspense>
    );
  }
  return <LocalAuthProvider>{children}</LocalAuthProvider>;
}

function LocalAuthProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const logOut = useLogOut();
  const { mutateAsync } = logOut;

  const value = useMemo<AuthState>(() => {
    return {
      mode: 'local',
      status: meStatus(me),
      retry: () => void me.refetch(),
      user: me.data?.user ?? null,
      usage: me.data?.usage ?? null,
      admin: me.data?.admin === true,
      signOut: async () => {
        await mutateAsync();
      },
    };
  }, [me, mutateAsync]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
