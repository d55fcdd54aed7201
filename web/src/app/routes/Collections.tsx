import CollectionsPage from '../../features/collections/routes/Collections';
import { SharedBadge } from '../../features/sharing/components/SharedBadge';
import { useSharedIds } from '../../features/sharing/hooks/useSharedIds';

/** /collections, with a "Shared" badge on the cards of shared collections. */
export default function CollectionsRoute() {
  const shared = useSharedIds('collection');
  return (
    <CollectionsPage cardBadges={(collection) => shared.has(collection.id) && <SharedBadge />} />
  );
}
