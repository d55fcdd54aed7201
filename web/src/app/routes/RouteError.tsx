import { RotateCw, TriangleAlert } from 'lucide-react';
import { Logo } from '../../components/layout/Logo';
import { Button } from '../../components/ui/Button';
import { EmptyState } from '../../components/ui/EmptyState';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/**
 * What the router shows when a page throws, or its code cannot be loaded
 * (typically a new release replaced the old chunks): a reload fetches the
 * current app and recovers either way.
 */
export function RouteError() {
  useDocumentTitle('Something went wrong');
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
