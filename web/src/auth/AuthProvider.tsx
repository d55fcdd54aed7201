import { useMemo, type ReactNode } from 'react';
import { useLogOut, useMe } from '../api/auth';
import { useConfig } from '../api/config';
import { AuthContext, type AuthState } from './AuthContext';
import { ClerkAuthProvider } from './ClerkAuthProvider';

/** Picks the sign-in implementation the server's configuration asks for. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  if (config.data?.auth.mode === 'clerk') {
    return <ClerkAuthProvider config={config.data}>{children}</ClerkAuthProvider>;
  }
  return <LocalAuthProvider>{children}</LocalAuthProvider>;
}

function LocalAuthProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const logOut = useLogOut();
  const { mutateAsync } = logOut;

  const value = useMemo<AuthState>(() => {
    let status: AuthState['status'] = 'loading';
    if (me.data) status = 'signed-in';
    else if (me.data === null || me.isError) status = 'signed-out';
    return {
      mode: 'local',
      status,
      user: me.data?.user ?? null,
      usage: me.data?.usage ?? null,
      signOut: async () => {
        await mutateAsync();
      },
    };
  }, [me.data, me.isError, mutateAsync]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
