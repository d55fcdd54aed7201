import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ToastProvider } from '../components/ui/ToastProvider';
import { AuthProvider } from '../features/auth/components/AuthProvider';
import type { Navigator } from '../features/auth/navigator';
import { routes } from './router';

export function App({ queryClient }: { queryClient: QueryClient }) {
  const [{ router, navigator }] = useState(() => {
    const router = createBrowserRouter(routes);
    // Clerk steps through its own screens (/profile/security, /sign-in/factor-one)
    // with these calls; staying in one section keeps the scroll position.
    const navigator: Navigator = {
      navigate: (to, options) =>
        router.navigate(to, {
          ...options,
          preventScrollReset: section(to) === section(router.state.location.pathname),
        }),
    };
    return { router, navigator };
  });
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <AuthProvider navigator={navigator}>
          <RouterProvider router={router} />
        </AuthProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}

/** "/gallery/abc?q=x" → "gallery" */
function section(path: string): string {
  return path.split(/[/?#]/)[1] ?? '';
}
