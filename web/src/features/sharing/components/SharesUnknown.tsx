import { Alert } from '../../../components/ui/Alert';
import { Skeleton } from '../../../components/ui/Skeleton';
import { describeError } from '../../../lib/errors';
import type { useShares } from '../api/shares';

/**
 * What stands in for the list of links until it is known: a placeholder
 * while it loads, or why it could not be loaded, with Retry.
 */
export function SharesUnknown({
  shares,
  failure,
  className,
}: {
  shares: ReturnType<typeof useShares>;
  /** The failure's title: what could not be found out. */
  failure: string;
  className?: string;
}) {
  if (shares.isPending) return <Skeleton className={className} />;
  return (
    <Alert title={failure} onRetry={() => void shares.refetch()}>
      {describeError(shares.error)}
    </Alert>
  );
}
