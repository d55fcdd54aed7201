import { Suspense } from 'react';
import { Outlet, ScrollRestoration } from 'react-router';
import { PageSkeleton } from '../../components/ui/Skeleton';
import { useAuth } from '../../features/auth/AuthContext';
import { ServerUnreachable } from '../../features/auth/components/ServerUnreachable';
import { Header } from './Header';

export function AppLayout() {
  const auth = useAuth();
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-lg bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3 dark:bg-zinc-900"
      >
        Skip to content
      </a>
      {/* New pages open at the top, Back returns to where you were; navigations
          within a page (the gallery's overlay and filters) pass preventScrollReset. */}
      <ScrollRestoration />
      <Header />
      <main id="main" className="flex-1" tabIndex={-1}>
        <Suspense fallback={<PageSkeleton />}>
          {auth.status === 'unreachable' ? <ServerUnreachable /> : <Outlet />}
        </Suspense>
      </main>
      <footer className="border-t border-zinc-200 py-6 text-center text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        PromptCanvas Pro · self-hosted AI image studio
      </footer>
    </div>
  );
}
