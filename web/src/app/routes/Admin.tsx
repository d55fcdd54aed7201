import AdminPage from '../../features/admin/routes/Admin';
import NotFoundPage from './NotFound';

/** /admin: to anyone the server does not count as an admin, the app's not-found page. */
export default function AdminRoute() {
  return <AdminPage notFound={<NotFoundPage />} />;
}
