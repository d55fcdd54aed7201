import ProfilePage from '../../features/auth/routes/Profile';
import { ApiKeysSection } from '../../features/keys/components/ApiKeysSection';

/** /profile: the account and its usage, with the API keys that act for it. */
export default function ProfileRoute() {
  return <ProfilePage extras={<ApiKeysSection />} />;
}
