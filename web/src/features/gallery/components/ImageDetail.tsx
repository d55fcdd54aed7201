import { ChevronLeft, ChevronRight, RotateCcw, Trash2, Wand2, X } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Image } from '../../../types/api';
import { formatBytes, formatDateTime, timeUntil } from '../../../utils/format';
import { settingsToSearch } from '../../../utils/settings';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { CopyButton } from '../../../components/ui/CopyButton';
import { EngineBadge } from '../../../components/image/EngineBadge';
import { DownloadButton } from '../../../components/image/DownloadButton';
import { FavoriteButton } from '../../../components/image/FavoriteButton';
import { SignedImage } from '../../../components/image/SignedImage';
import { ImageTimeAndCost } from '../../../components/image/TimeAndCost';
import { cn } from '../../../utils/cn';
import { ReproduceCheck } from './ReproduceCheck';

function Setting({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {label}
      </dt>
      <dd className="mt-0.5 break-words text-sm">{children}</dd>
    </div>
  );
}

export interface DetailNavigation {
  hasPrev: boolean;
  hasNext: boolean;
  prev: () => void;
  next: () => void;
  loadingNext: boolean;
}

function StepButton({
  direction,
  enabled,
  busy = false,
  onClick,
}: {
  direction: 'prev' | 'next';
  enabled: boolean;
  busy?: boolean;
  onClick: () => void;
}) {
  const Icon = direction === 'prev' ? ChevronLeft : ChevronRight;
  // aria-disabled, not disabled: the button keeps focus at either end of the list.
  return (
    <button
      type="button"
      aria-label={direction === 'prev' ? 'Previous image' : 'Next image'}
      aria-disabled={!enabled || busy || undefined}
      aria-busy={busy || undefined}
      onClick={() => {
        if (enabled && !busy) onClick();
      }}
      className={cn(
        'absolute top-1/2 flex size-11 -translate-y-1/2 items-center justify-center rounded-full bg-black/55 text-white shadow-lg backdrop-blur transition hover:bg-black/75',
        direction === 'prev' ? 'left-2 sm:left-3' : 'right-2 sm:right-3',
        (!enabled || busy) && 'cursor-default opacity-40 hover:bg-black/55',
      )}
    >
      <Icon className="size-6" aria-hidden="true" />
    </button>
  );
}

/** The full image and every setting that made it, with its actions. */
export function ImageDetail({
  image,
  titleId,
  onClose,
  onMoveToTrash,
  onRestore,
  refetch,
  navigation,
  styleLabel,
  modelLabel,
  extras,
  actions,
}: {
  image: Image;
  titleId: string;
  onClose: () => void;
  onMoveToTrash: () => void;
  /** For an image already in the trash (opened from a link). */
  onRestore: () => void;
  /** Reloads the image record (fresh signed URLs). */
  refetch: () => Promise<unknown>;
  /** Previous/next through the list the detail was opened from. */
  navigation?: DetailNavigation;
  styleLabel?: string;
  modelLabel?: string;
  /** What other features show about the image (the collections holding it). */
  extras?: ReactNode;
  /** What other features let one do with it (share it), among its actions. */
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-col lg:flex-row">
      <div className="relative flex items-center justify-center bg-zinc-100 p-3 sm:p-5 lg:w-[62%] dark:bg-zinc-950">
        <SignedImage
          key={image.id}
          src={image.url}
          alt={image.prompt}
          width={image.width}
          height={image.height}
          refetch={refetch}
          className="h-auto max-h-[60dvh] w-auto max-w-full rounded-xl object-contain shadow-lg lg:max-h-[84dvh]"
          fallbackClassName="max-h-[60dvh] w-full max-w-full rounded-xl lg:max-h-[84dvh]"
          style={{ backgroundColor: image.placeholder ?? undefined }}
        />
        {navigation && (navigation.hasPrev || navigation.hasNext) && (
          <>
            <StepButton direction="prev" enabled={navigation.hasPrev} onClick={navigation.prev} />
            <StepButton
              direction="next"
              enabled={navigation.hasNext}
              busy={navigation.loadingNext}
              onClick={navigation.next}
            />
          </>
        )}
      </div>
      <div className="flex flex-col gap-5 p-5 sm:p-6 lg:w-[38%]">
        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 id={titleId} className="text-lg font-semibold">
              Image details
            </h2>
            <EngineBadge provider={image.provider} className="mt-2" />
          </div>
          <Button
            variant="ghost"
            size="icon"
            onClick={onClose}
            aria-label="Close"
            data-autofocus
            icon={<X className="size-5" aria-hidden="true" />}
          />
        </div>

        <div>
          <div className="flex items-center justify-between gap-2">
            <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
              Prompt
            </h3>
            <CopyButton text={image.prompt}>Copy prompt</CopyButton>
          </div>
          <p
            className="mt-1 whitespace-pre-wrap break-words text-sm leading-relaxed"
            data-testid="detail-prompt"
          >
            {image.prompt}
          </p>
          {image.negative_prompt && (
            <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
              <span className="font-medium">Negative:</span> {image.negative_prompt}
            </p>
          )}
        </div>

        <dl className="grid grid-cols-2 gap-x-4 gap-y-3 rounded-2xl border border-zinc-200 p-4 dark:border-zinc-800">
          <Setting label="Model">{modelLabel ?? image.model}</Setting>
          <Setting label="Size">
            {image.width} × {image.height}
          </Setting>
          <Setting label="Steps">{image.steps}</Setting>
          <Setting label="Seed">
            <span className="font-mono">{image.seed}</span>
          </Setting>
          <Setting label="Style">{styleLabel ?? image.style}</Setting>
          <Setting label="File">{formatBytes(image.bytes)}</Setting>
          <Setting label="Created">{formatDateTime(image.created_at)}</Setting>
          <Setting label="Time · cost">
            <ImageTimeAndCost image={image} />
          </Setting>
        </dl>

        {extras}

        <div className="flex flex-wrap gap-2">
          <FavoriteButton image={image} />
          <DownloadButton image={image} />
          <Link
            to={`/generate${settingsToSearch(image)}`}
            className={buttonClasses('primary', 'md')}
          >
            <Wand2 className="size-4" aria-hidden="true" />
            Use these settings
          </Link>
          {actions}
        </div>

        {/* Keyed: a result belongs to the image it was checked for. */}
        <ReproduceCheck key={image.id} image={image} />

        <div className="mt-auto border-t border-zinc-200 pt-4 dark:border-zinc-800">
          {image.trashed_at ? (
            <Alert
              tone="info"
              title="This image is in the trash"
              action={
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={onRestore}
                  icon={<RotateCcw className="size-4" aria-hidden="true" />}
                >
                  Restore
                </Button>
              }
            >
              {image.purge_at
                ? `Deleted for good ${timeUntil(image.purge_at)}.`
                : 'It will be deleted for good.'}
            </Alert>
          ) : (
            // No question asked: the toast that follows offers Undo.
            <Button
              variant="ghost"
              onClick={onMoveToTrash}
              icon={<Trash2 className="size-4" aria-hidden="true" />}
            >
              Move to trash
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}
