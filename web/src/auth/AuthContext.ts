import { createContext, useContext } from 'react';
import type { AuthMode, Usage, User } from '../api/types';

/**
 * What the rest of the app knows about sign-in, whichever mode the server runs.
 *
 * Local mode (the default) is implemented by LocalAuthProvider over the
 * session cookie. Clerk mode will be a ClerkAuthProvider that loads
 * `@clerk/react` lazily, registers its JWT via `setAuthTokenGetter`, and
 * supplies its own sign-in/sign-up components through `SignInView`/`SignUpView`.
 */
export interface AuthState {
  mode: AuthMode;
  status: 'loading' | 'signed-in' | 'signed-out';
  user: User | null;
  usage: Usage | null;
  signOut: () => Promise<void>;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
