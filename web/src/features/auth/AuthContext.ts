import { createContext, useContext, type ComponentType } from 'react';
import type { AuthMode, Usage, User } from '../../types/api';

/**
 * Sign-in screens a mode brings with it. Clerk mode supplies Clerk's own
 * components (loaded lazily with `@clerk/react`); local mode supplies none and
 * the pages show the built-in forms.
 */
export interface AuthViews {
  SignIn: ComponentType<{ redirectTo: string }>;
  SignUp: ComponentType<{ redirectTo: string }>;
  UserProfile: ComponentType;
  UserButton: ComponentType;
}

/**
 * What the rest of the app knows about sign-in, whichever mode the server runs.
 *
 * Local mode (the default) is implemented by LocalAuthProvider over the
 * session cookie. Clerk mode is ClerkAuthProvider (components/clerk/), which loads
 * `@clerk/react` lazily, registers Clerk's session token with the API client
 * and supplies Clerk's components through `views`.
 */
export interface AuthState {
  mode: AuthMode;
  /**
   * `unreachable`: the server did not answer who is signed in (5xx, network),
   * which is not the same as signed out. `retry` asks again.
   */
  status: 'loading' | 'signed-in' | 'signed-out' | 'unreachable';
  user: User | null;
  usage: Usage | null;
  /** The server counts this account as an admin (ADMIN_EMAILS): it may open /admin. */
  admin?: boolean;
  signOut: () => Promise<void>;
  retry?: () => void;
  views?: AuthViews;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
