import { useAuth } from '../../features/auth/AuthContext';
import TrashPage from '../../features/gallery/routes/Trash';

/**
 * The trash page, told how many images the account has in the trash (from
 * its usage, which the auth feature holds), so emptying it can say how many
 * go even before every page is loaded.
 */
export default function TrashRoute() {
  const { usage } = useAuth();
  return <TrashPage trashCount={usage?.trash_images} />;
}
