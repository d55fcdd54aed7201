import type { ReactElement, ReactNode } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import GalleryDetailPage from '../features/gallery/routes/GalleryDetail';
import { renderWithProviders, testMe } from './utils';

/** Where the router is (its path and query), and the browser's Back button. */
export function Where() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <p data-testid="where">{location.pathname + location.search}</p>
      <button type="button" onClick={() => navigate(-1)}>
        Browser back
      </button>
    </>
  );
}

/**
 * `page` at `path`, with the image detail over it at `${path}/:id` as the app
 * routes them (and any other `routes` beside), and `Where` below; opened at
 * `route`, signed in as the test user.
 */
export function renderWithDetail(
  page: ReactElement,
  {
    path = '/gallery',
    route = path,
    routes,
  }: { path?: string; route?: string; routes?: ReactNode } = {},
) {
  const view = renderWithProviders(
    <>
      <Routes>
        <Route path={path} element={page}>
          <Route path=":id" element={<GalleryDetailPage />} />
        </Route>
        {routes}
      </Routes>
      <Where />
    </>,
    { route },
  );
  view.client.setQueryData(['me'], testMe);
  return view;
}
