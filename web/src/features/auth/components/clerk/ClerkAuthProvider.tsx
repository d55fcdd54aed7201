/**
 * Clerk mode. This module is the only one that imports `@clerk/react`, and it
 * is loaded lazily (see AuthProvider), so the local-mode bundle carries none
 * of Clerk's code.
 */
import {
  ClerkProvider,
  SignIn,
  SignUp,
  UserButton,
  UserProfile,
  getToken,
  useAuth as useClerkAuth,
} from '@clerk/react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { meStatus, useMe } from '../../api/auth';
import { setAuthTokenGetter } from '../../../../lib/client';
import { AuthContext, type AuthState, type AuthViews } from '../../AuthContext';
import type { Navigator } from '../../navigator';

/** Clerk's current session token for the API client; none when it cannot be had. */
async function tokenForApi(): Promise<string | null> {
  try {
    return await getToken();
  } catch {
    return null;
  }
}

const views: AuthViews = {
  SignIn: ({ redirectTo }) => (
    <SignIn routing="path" path="/sign-in" signUpUrl="/sign-up" fallbackRedirectUrl={redirectTo} />
  ),
  SignUp: ({ redirectTo }) => (
    <SignUp routing="path" path="/sign-up" signInUrl="/sign-in" fallbackRedirectUrl={redirectTo} />
  ),
  UserProfile: () => <UserProfile routing="path" path="/profile" />,
  UserButton: () => <UserButton userProfileUrl="/profile" userProfileMode="navigation" />,
};

export default function ClerkAuthProvider({
  publishableKey,
  navigator,
  children,
}: {
  publishableKey: string;
  navigator: Navigator;
  children: ReactNode;
}) {
  return (
    <ClerkProvider
      publishableKey={publishableKey}
      routerPush={(to) => void navigator.navigate(to)}
      routerReplace={(to) => void navigator.navigate(to, { replace: true })}
      signInUrl="/sign-in"
      signUpUrl="/sign-up"
      afterSignOutUrl="/"
    >
      <ClerkSession>{children}</ClerkSession>
    </ClerkProvider>
  );
}

/** Bridges Clerk's session to the app: the API token, "me", and sign-out. */
function ClerkSession({ children }: { children: ReactNode }) {
  // Registered during the first render, before any query can run.
  useState(() => setAuthTokenGetter(tokenForApi));
  useEffect(() => {
    setAuthTokenGetter(tokenForApi);
    return () => setAuthTokenGetter(null);
  }, []);

  const { isLoaded, isSignedIn, userId, signOut } = useClerkAuth();
  const queryClient = useQueryClient();
  const me = useMe(isLoaded && isSignedIn === true);

  // A different Clerk user (or none): nothing cached for the previous one may show.
  const [seenUser, setSeenUser] = useState(userId);
  if (isLoaded && userId !== seenUser) {
    setSeenUser(userId);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'config' });
  }

  const value = useMemo<AuthState>(() => {
    let status: AuthState['status'] = 'loading';
    if (isLoaded && !isSignedIn) status = 'signed-out';
    else if (isLoaded) status = meStatus(me);
    return {
      mode: 'clerk',
      status,
      retry: () => void me.refetch(),
      user: me.data?.user ?? null,
      usage: me.data?.usage ?? null,
      admin: me.data?.admin === true,
      signOut: async () => {
        await signOut({ redirectUrl: '/' });
        queryClient.clear();
      },
      views,
    };
  }, [isLoaded, isSignedIn, me, signOut, queryClient]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
