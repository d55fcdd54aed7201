import { Download, FileArchive } from 'lucide-react';
import { useId } from 'react';
import { PageSection } from '../../../components/layout/PageSection';
import { Alert } from '../../../components/ui/Alert';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { Card } from '../../../components/ui/Card';
import { CopyButton } from '../../../components/ui/CopyButton';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useNow } from '../../../hooks/useNow';
import { useConfig } from '../../../lib/config';
import { describeError } from '../../../lib/errors';
import type { Export } from '../../../types/api';
import { formatBytes, formatDateTime, timeUntil } from '../../../utils/format';
import { useExports } from '../api/exports';
import { DownloadZipButton } from './DownloadZipButton';
import { imageCount } from './words';

function ExportItem({ item, now }: { item: Export; now: number }) {
  const titleId = useId();
  const expired = Date.parse(item.expires_at) <= now;
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:gap-4">
      <div className="min-w-0 flex-1">
        <p id={titleId} className="flex items-center gap-2 font-medium">
          <FileArchive
            className="size-4 shrink-0 text-zinc-500 dark:text-zinc-400"
            aria-hidden="true"
          />
          ZIP of {imageCount(item.image_count)}
        </p>
        <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-sm text-zinc-600 dark:text-zinc-400">
          <div className="flex gap-1">
            <dt>Made</dt>
            <dd>{formatDateTime(item.created_at)}</dd>
          </div>
          <div className="flex gap-1">
            <dt>Size</dt>
            <dd>{formatBytes(item.bytes)}</dd>
          </div>
          <div>
            <dt className="sr-only">Link</dt>
            <dd title={formatDateTime(item.expires_at)}>
              {expired ? 'Link expired' : `Link expires ${timeUntil(item.expires_at, now)}`}
            </dd>
          </div>
        </dl>
      </div>
      {!expired && (
        <div className="flex flex-wrap gap-2 self-start sm:self-center">
          <CopyButton text={item.url} variant="secondary" aria-describedby={titleId}>
            Copy link
          </CopyButton>
          <a
            href={item.url}
            download
            aria-describedby={titleId}
            className={buttonClasses('secondary', 'sm')}
          >
            <Download className="size-4" aria-hidden="true" />
            Download
          </a>
        </div>
      )}
    </li>
  );
}

function RecentExports() {
  const exports = useExports();
  const now = useNow(60_000);
  if (exports.isPending) return <Skeleton className="h-24" />;
  if (exports.isError && !exports.data) {
    return (
      <Alert title="Couldn't load your recent ZIPs" onRetry={() => void exports.refetch()}>
        {describeError(exports.error)}
      </Alert>
    );
  }
  if (exports.data.items.length === 0) {
    return (
      <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <FileArchive className="size-4 shrink-0" aria-hidden="true" />
        No recent ZIPs. Make one here, or from a selection, a collection or your favourites in the
        gallery.
      </p>
    );
  }
  return (
    <ul
      aria-label="Your recent ZIPs"
      className="divide-y divide-zinc-200 rounded-2xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
    >
      {exports.data.items.map((item) => (
        <ExportItem key={item.id} item={item} now={now} />
      ))}
    </ul>
  );
}

/**
 * The profile's "Your data": every image in one ZIP, and the recent ZIPs
 * whose links still work, each to download again or copy. `imageCount`: the
 * images outside the trash, when known.
 */
export function ExportsSection({ imageCount: count }: { imageCount?: number }) {
  const id = useId();
  const limits = useConfig().data?.limits;
  const limit = limits?.export_max_images;
  const hours = limits?.export_ttl_hours;
  let unavailable;
  if (count === 0) unavailable = 'Your gallery has no images yet.';
  else if (count != null && limit != null && count > limit)
    unavailable = `A ZIP holds at most ${imageCount(limit)}: download a collection or a selection from the gallery instead.`;

  return (
    <PageSection
      titleId={`${id}-title`}
      title="Your data"
      description={
        <>
          Download your images as a ZIP, with each one’s prompt and settings (
          <code className="font-mono text-xs">recipes.json</code>) and a page to look through them
          offline (<code className="font-mono text-xs">index.html</code>).
          {hours != null &&
            ` Its link works for ${hours} hour${hours === 1 ? '' : 's'}, without signing in.`}
        </>
      }
    >
      <Card className="mt-4 flex flex-col gap-3 p-6 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h3 className="font-medium">Everything</h3>
          <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
            {count != null
              ? `All ${imageCount(count)} in your gallery; the trash is left out.`
              : 'Every image in your gallery; the trash is left out.'}
          </p>
        </div>
        <DownloadZipButton
          job={{ request: {}, count, what: 'all your images' }}
          label="Download everything"
          variant="primary"
          className="self-start sm:self-center"
          unavailable={unavailable}
        />
      </Card>
      <h3 className="mt-6 font-medium">Recent ZIPs</h3>
      <div className="mt-2">
        <RecentExports />
      </div>
    </PageSection>
  );
}
