import { useMemo, type ReactNode } from 'react';
import { useMe } from '../api/auth';
import type { Config } from '../api/types';
import { AuthContext, type AuthState } from './AuthContext';

/**
 * Placeholder for Clerk mode. The real implementation loads `@clerk/react`
 * lazily (only when the server says Clerk is on), wraps children in
 * ClerkProvider with `config.auth.clerk_publishable_key`, and calls
 * `setAuthTokenGetter(() => clerk.session.getToken())` so every API call
 * carries the JWT. Until then the app can still use a Clerk `__session`
 * cookie on the same origin, which the server accepts.
 */
export function ClerkAuthProvider({ children }: { config: Config; children: ReactNode }) {
  const me = useMe();
  const value = useMemo<AuthState>(
    () => ({
      mode: 'clerk',
      status: me.data ? 'signed-in' : me.data === null || me.isError ? 'signed-out' : 'loading',
      user: me.data?.user ?? null,
      usage: me.data?.usage ?? null,
      signOut: async () => {
        // Clerk's signOut() goes here.
      },
    }),
    [me.data, me.isError],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
