import { lazy, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { Layout } from './components/layout/Layout';

// Every page is its own chunk; only the shell is in the initial bundle.
const Home = lazy(() => import('./pages/Home'));
const SignIn = lazy(() => import('./pages/SignIn'));
const SignUp = lazy(() => import('./pages/SignUp'));
const Generate = lazy(() => import('./pages/Generate'));
const Gallery = lazy(() => import('./pages/Gallery'));
const GalleryDetail = lazy(() => import('./pages/GalleryDetail'));
const Profile = lazy(() => import('./pages/Profile'));
const NotFound = lazy(() => import('./pages/NotFound'));

const guard = (element: ReactNode) => <RequireAuth>{element}</RequireAuth>;

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'sign-in/*', element: <SignIn /> },
      { path: 'sign-up/*', element: <SignUp /> },
      { path: 'generate', element: guard(<Generate />) },
      {
        path: 'gallery',
        element: guard(<Gallery />),
        children: [{ path: ':id', element: <GalleryDetail /> }],
      },
      { path: 'profile/*', element: guard(<Profile />) },
      { path: '*', element: <NotFound /> },
    ],
  },
];
