import { Alert } from '../components/ui/Alert';

/**
 * Stand-in for Clerk's <SignIn/> and <SignUp/> components in Clerk mode
 * (see ClerkAuthProvider). Kept separate so the local forms never load Clerk.
 */
export function ClerkNotice() {
  return (
    <Alert tone="info" title="Sign-in is managed by Clerk">
      This server uses Clerk for accounts. Clerk sign-in is not bundled in this build of the web app
      yet.
    </Alert>
  );
}
