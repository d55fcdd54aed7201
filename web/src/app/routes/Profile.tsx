import { useMemo } from 'react';
import { useMe } from '../../features/auth/api/auth';
import { useAuth } from '../../features/auth/AuthContext';
import ProfilePage from '../../features/auth/routes/Profile';
import { useCollections } from '../../features/collections/api/collections';
import { ExportsSection } from '../../features/exports/components/ExportsSection';
import { ApiKeysSection } from '../../features/keys/components/ApiKeysSection';
import { SharedLinksSection } from '../../features/sharing/components/SharedLinksSection';
import type { Share } from '../../types/api';

/** The shared links, with the names of the collections they show. */
function SharedLinks() {
  const collections = useCollections();
  const names = useMemo(
    () => new Map(collections.data?.items.map((c) => [c.id, c.name])),
    [collections.data],
  );
  const nameOf = (share: Share) =>
    share.kind === 'collection' ? names.get(share.target_id) : undefined;
  return <SharedLinksSection nameOf={nameOf} />;
}

/** Every image in one ZIP, counted as the usage counts them (the trash left out), and the recent ZIPs. */
function YourData() {
  const auth = useAuth();
  const usage = useMe().data?.usage ?? auth.usage;
  return (
    <ExportsSection
      imageCount={usage ? Math.max(0, usage.images - usage.trash_images) : undefined}
    />
  );
}

/**
 * /profile: the account and its usage, with the API keys that act for it,
 * its shared links, and its images to download.
 */
export default function ProfileRoute() {
  return (
    <ProfilePage
      extras={
        <>
          <ApiKeysSection />
          <SharedLinks />
          <YourData />
        </>
      }
    />
  );
}
