import { ExternalLink, Folder, Image as ImageIcon, Link2 } from 'lucide-react';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { PageSection } from '../../../components/layout/PageSection';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { CopyButton } from '../../../components/ui/CopyButton';
import { useToast } from '../../../components/ui/toast';
import type { Share } from '../../../types/api';
import { formatDate } from '../../../utils/format';
import { targetOf, useShares } from '../api/shares';
import { SharesUnknown } from './SharesUnknown';
import { StopSharingDialog } from './StopSharingDialog';
import { thingShared } from './words';

/** Where the app shows what a link shows. */
function pathOf(share: Share): string {
  const id = encodeURIComponent(share.target_id);
  return share.kind === 'image' ? `/gallery/${id}` : `/collections/${id}`;
}

function ShareItem({ share, name, onStop }: { share: Share; name?: string; onStop: () => void }) {
  const titleId = useId();
  const image = share.kind === 'image';
  const Icon = image ? ImageIcon : Folder;
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:gap-4">
      <div className="min-w-0 flex-1">
        <p id={titleId} className="flex items-center gap-2 font-medium">
          <Icon className="size-4 shrink-0 text-zinc-500 dark:text-zinc-400" aria-hidden="true" />
          <Link
            to={pathOf(share)}
            className="min-w-0 break-words underline decoration-zinc-300 underline-offset-2 hover:decoration-current dark:decoration-zinc-600"
          >
            {image ? 'Image' : name ? `Collection “${name}”` : 'Collection'}
          </Link>
        </p>
        <p className="mt-1 break-all font-mono text-xs text-zinc-600 dark:text-zinc-400">
          {share.url}
        </p>
        <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-sm text-zinc-600 dark:text-zinc-400">
          <div className="flex gap-1">
            <dt>Shared</dt>
            <dd>{formatDate(share.created_at)}</dd>
          </div>
          <div>
            <dt className="sr-only">Prompt</dt>
            <dd>
              {image ? 'Prompt' : 'Prompts'} {share.show_prompt ? 'shown' : 'hidden'}
            </dd>
          </div>
        </dl>
      </div>
      <div className="flex flex-wrap gap-2 self-start sm:self-center">
        <CopyButton text={share.url} variant="secondary" aria-describedby={titleId}>
          Copy link
        </CopyButton>
        <a
          href={share.url}
          target="_blank"
          rel="noopener noreferrer"
          aria-describedby={titleId}
          className={buttonClasses('secondary', 'sm')}
        >
          <ExternalLink className="size-4" aria-hidden="true" />
          Open
          <span className="sr-only"> (in a new tab)</span>
        </a>
        <Button variant="secondary" size="sm" aria-describedby={titleId} onClick={onStop}>
          Stop sharing
        </Button>
      </div>
    </li>
  );
}

/**
 * The profile's list of the caller's share links, newest first: what each
 * shows and since when, its link to copy or open, and a way to stop it
 * (after a yes). `nameOf`: a collection's name, when the app knows it.
 */
export function SharedLinksSection({ nameOf }: { nameOf?: (share: Share) => string | undefined }) {
  const id = useId();
  const shares = useShares();
  const toast = useToast();
  const [stopping, setStopping] = useState<Share | null>(null);

  let content;
  if (!shares.data) {
    content = (
      <SharesUnknown shares={shares} failure="Couldn't load your shared links" className="h-24" />
    );
  } else if (shares.data.items.length === 0) {
    content = (
      <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Link2 className="size-4 shrink-0" aria-hidden="true" />
        Nothing shared yet. Share an image from its details, or a collection from its page.
      </p>
    );
  } else {
    content = (
      <ul
        aria-label="Your shared links"
        className="divide-y divide-zinc-200 rounded-2xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
      >
        {shares.data.items.map((share) => (
          <ShareItem
            key={share.token}
            share={share}
            name={nameOf?.(share)}
            onStop={() => setStopping(share)}
          />
        ))}
      </ul>
    );
  }

  const what = stopping && thingShared(targetOf(stopping), nameOf?.(stopping));
  return (
    <PageSection
      titleId={`${id}-title`}
      title="Shared links"
      description="Anyone with one of these links can see what it shows, without signing in. Stop sharing, and the link stops working at once."
    >
      <div className="mt-4">{content}</div>
      {stopping && what && (
        <StopSharingDialog
          target={targetOf(stopping)}
          what={what}
          onClose={() => setStopping(null)}
          onStopped={() => {
            setStopping(null);
            toast.show({
              tone: 'success',
              message: `Stopped sharing ${what}. Its link no longer works.`,
            });
          }}
          afterStop={() => document.getElementById(`${id}-title`)}
        />
      )}
    </PageSection>
  );
}
