import { KeyRound } from 'lucide-react';
import { useRef, useState } from 'react';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useToast } from '../../../components/ui/toast';
import { useNow } from '../../../hooks/useNow';
import { describeError } from '../../../lib/errors';
import type { ApiKey } from '../../../types/api';
import { cn } from '../../../utils/cn';
import { formatDate, formatDateTime } from '../../../utils/format';
import { useApiKeys, useRevokeApiKey } from '../api/keys';

function KeyItem({ apiKey, now, onRevoke }: { apiKey: ApiKey; now: number; onRevoke: () => void }) {
  const expired = apiKey.expires_at != null && Date.parse(apiKey.expires_at) <= now;
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:gap-4">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
          <span className="break-words font-medium">{apiKey.name}</span>
          <code className="rounded-md bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
            {apiKey.prefix}…
          </code>
        </p>
        <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-sm text-zinc-600 dark:text-zinc-400">
          <div className="flex gap-1">
            <dt>Created</dt>
            <dd>{formatDate(apiKey.created_at)}</dd>
          </div>
          <div className="flex gap-1">
            <dt>Last used</dt>
            <dd>{apiKey.last_used_at ? formatDateTime(apiKey.last_used_at) : 'never'}</dd>
          </div>
          <div>
            <dt className="sr-only">Expiry</dt>
            <dd className={cn(expired && 'font-medium text-red-700 dark:text-red-400')}>
              {apiKey.expires_at == null
                ? 'Never expires'
                : `${expired ? 'Expired' : 'Expires'} ${formatDate(apiKey.expires_at)}`}
            </dd>
          </div>
        </dl>
      </div>
      <Button
        variant="secondary"
        size="sm"
        className="self-start sm:self-center"
        aria-label={`Revoke ${apiKey.name}`}
        onClick={onRevoke}
      >
        Revoke
      </Button>
    </li>
  );
}

/**
 * Asks before revoking `apiKey`; says why if the server refuses. After a
 * revocation the key's button is gone, so the focus goes to `afterRevoke()`.
 */
function RevokeDialog({
  apiKey,
  onClose,
  afterRevoke,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  afterRevoke: () => HTMLElement | null;
}) {
  const revoke = useRevokeApiKey();
  const toast = useToast();
  const revoked = useRef(false);
  const confirm = () =>
    revoke.mutate(apiKey, {
      onSuccess: () => {
        revoked.current = true;
        onClose();
        toast.show({ tone: 'success', message: `Revoked “${apiKey.name}”. It no longer works.` });
      },
    });

  return (
    <ConfirmDialog
      title={`Revoke “${apiKey.name}”?`}
      confirmLabel="Revoke key"
      danger
      busy={revoke.isPending}
      onConfirm={confirm}
      onCancel={onClose}
      error={revoke.isError && <Alert>{describeError(revoke.error)}</Alert>}
      returnFocusTo={() => (revoked.current ? afterRevoke() : null)}
    >
      Anything using this key is refused from now on. This cannot be undone.
    </ConfirmDialog>
  );
}

/**
 * The keys that still work or have lapsed, each with what it is and when it
 * was last used, and a way to revoke it (after a yes). `afterRevoke`: where
 * the focus goes once a key has gone from the list.
 */
export function ApiKeyList({ afterRevoke }: { afterRevoke: () => HTMLElement | null }) {
  const keys = useApiKeys();
  const now = useNow(60_000);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  if (keys.isPending) return <Skeleton className="h-24" />;
  if (keys.isError && !keys.data) {
    return (
      <Alert title="Couldn't load your API keys" onRetry={() => void keys.refetch()}>
        {describeError(keys.error)}
      </Alert>
    );
  }
  const items = keys.data.items;

  return (
    <>
      {items.length === 0 ? (
        <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <KeyRound className="size-4 shrink-0" aria-hidden="true" />
          No API keys yet.
        </p>
      ) : (
        <ul
          aria-label="Your API keys"
          className="divide-y divide-zinc-200 rounded-2xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {items.map((key) => (
            <KeyItem key={key.id} apiKey={key} now={now} onRevoke={() => setRevoking(key)} />
          ))}
        </ul>
      )}
      {revoking && (
        <RevokeDialog
          apiKey={revoking}
          onClose={() => setRevoking(null)}
          afterRevoke={afterRevoke}
        />
      )}
    </>
  );
}
