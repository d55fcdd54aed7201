import { lazy, type ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequireAuth } from '../features/auth/components/RequireAuth';
import { AppLayout } from './layout/AppLayout';
import { RouteError } from './routes/RouteError';

// Every page is its own chunk; only the shell is in the initial bundle.
const Home = lazy(() => import('./routes/Home'));
const SignIn = lazy(() => import('../features/auth/routes/SignIn'));
const SignUp = lazy(() => import('../features/auth/routes/SignUp'));
const Generate = lazy(() => import('../features/generate/routes/Generate'));
const Gallery = lazy(() => import('./routes/Gallery'));
const GalleryDetail = lazy(() => import('../features/gallery/routes/GalleryDetail'));
const Trash = lazy(() => import('./routes/Trash'));
const Collections = lazy(() => import('./routes/Collections'));
const Collection = lazy(() => import('./routes/Collection'));
const Compare = lazy(() => import('../features/compare/routes/Compare'));
const Profile = lazy(() => import('./routes/Profile'));
const Admin = lazy(() => import('./routes/Admin'));
const NotFound = lazy(() => import('./routes/NotFound'));

const guard = (element: ReactNode) => <RequireAuth>{element}</RequireAuth>;

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
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
      { path: 'trash', element: guard(<Trash />) },
      { path: 'collections', element: guard(<Collections />) },
      {
        path: 'collections/:collectionId',
        element: guard(<Collection />),
        children: [{ path: ':id', element: <GalleryDetail /> }],
      },
      { path: 'compare', element: guard(<Compare />) },
      { path: 'profile/*', element: guard(<Profile />) },
      { path: 'admin', element: guard(<Admin />) },
      { path: '*', element: <NotFound /> },
    ],
  },
];
