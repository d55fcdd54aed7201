import { useMemo } from 'react';
import ProfilePage from '../../features/auth/routes/Profile';
import { useCollections } from '../../features/collections/api/collections';
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

/** /profile: the account and its usage, with the API keys that act for it and its shared links. */
export default function ProfileRoute() {
  return (
    <ProfilePage
      extras={
        <>
          <ApiKeysSection />
          <SharedLinks />
        </>
      }
    />
  );
}
