/**
 * How the auth layer moves between pages: the app's router, handed to
 * Clerk as `routerPush`/`routerReplace` so its redirects stay in the
 * single-page app instead of reloading.
 */
export interface Navigator {
  navigate: (to: string, options?: { replace?: boolean }) => unknown;
}
