import { RotateCw, TriangleAlert } from 'lucide-react';
import { useEffect } from 'react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Logo } from '../../components/layout/Logo';
import { Button } from '../../components/ui/Button';
import { EmptyState } from '../../components/ui/EmptyState';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { reportError } from '../../lib/errorReporting';

/**
 * What the router shows when a page throws, or its code cannot be loaded
 * (typically a new release replaced the old chunks): a reload fetches the
 * current app and recovers either way. The error is reported (once, however
 * many times this renders, and though React's root callbacks see it too).
 */
export function RouteError() {
  useDocumentTitle('Something went wrong');
  const error = useRouteError();
  useEffect(() => {
    // An answer the router made itself (no such route) is not a crash.
    if (!isRouteErrorResponse(error)) reportError(error);
  }, [error]);
  return (
    <div className="mx-auto flex min-h-dvh max-w-2xl flex-col gap-8 px-4 py-10 sm:px-6">
      <Logo />
      <main>
        <h1 className="sr-only">Something went wrong</h1>
        <EmptyState
          icon={<TriangleAlert className="size-7" aria-hidden="true" />}
          title="Something went wrong"
          action={
            <Button
              onClick={() => window.location.reload()}
              icon={<RotateCw className="size-4" aria-hidden="true" />}
            >
              Reload the page
            </Button>
          }
        >
          This page stopped working. Reloading usually fixes it; your images are safe.
        </EmptyState>
      </main>
    </div>
  );
}
