import { Clock, RotateCcw, Trash2 } from 'lucide-react';
import { useId } from 'react';
import type { Image } from '../../../types/api';
import { SignedImage } from '../../../components/image/SignedImage';
import { Button } from '../../../components/ui/Button';
import { Card } from '../../../components/ui/Card';
import { cn } from '../../../utils/cn';
import { formatDateTime, shorten, timeUntil } from '../../../utils/format';
import { SelectCheckbox } from './SelectCheckbox';

/**
 * One image in the trash: what it was, when it will be gone, and the two ways
 * out. The buttons name the prompt as their description, so "Restore" is
 * never ambiguous to a screen reader going from button to button. A
 * checkbox on the thumbnail selects it, shift for a range.
 */
export function TrashItem({
  image,
  now,
  refetch,
  onRestore,
  onDelete,
  selecting = false,
  selected = false,
  onToggle,
}: {
  image: Image;
  now: number;
  refetch: () => Promise<unknown>;
  onRestore: () => void;
  onDelete: () => void;
  selecting?: boolean;
  selected?: boolean;
  onToggle?: (range: boolean) => void;
}) {
  const promptId = useId();
  return (
    // On a phone the buttons take a row of their own, full width; beside the text from sm up.
    <Card
      className={cn(
        'group grid grid-cols-[auto_minmax(0,1fr)] gap-3 p-3 sm:gap-x-4',
        selected && 'ring-3 ring-brand-500 dark:ring-brand-400',
      )}
      data-trash-item={image.id}
      data-select-id={image.id}
    >
      <div className="relative sm:row-span-2">
        <SignedImage
          key={image.id}
          src={image.thumbnail_url}
          // The prompt is right beside it.
          alt=""
          width={image.thumbnail_width}
          height={image.thumbnail_height}
          refetch={refetch}
          loading="lazy"
          decoding="async"
          className="block size-20 rounded-xl object-cover sm:size-24"
          fallbackClassName="size-20 rounded-xl sm:size-24"
          style={{ backgroundColor: image.placeholder ?? undefined }}
        />
        {onToggle && (
          // Shown on hover, on focus in the row, on touch screens, and throughout a selection.
          <SelectCheckbox
            label={`Select image: ${shorten(image.prompt)}`}
            checked={selected}
            onToggle={onToggle}
            className={cn(
              'absolute left-1 top-1 transition-opacity',
              selecting
                ? 'opacity-100'
                : 'opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 pointer-coarse:opacity-100',
            )}
          />
        )}
      </div>
      <div className="min-w-0">
        <p id={promptId} className="line-clamp-2 break-words text-sm font-medium">
          {image.prompt}
        </p>
        {image.purge_at && (
          <p className="mt-1 flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
            <Clock className="size-3.5 shrink-0" aria-hidden="true" />
            <time dateTime={image.purge_at} title={formatDateTime(image.purge_at)}>
              Deleted for good {timeUntil(image.purge_at, now)}
            </time>
          </p>
        )}
      </div>
      <div className="col-span-2 grid grid-cols-2 gap-2 sm:col-span-1 sm:col-start-2 sm:flex sm:flex-wrap sm:items-end">
        <Button
          variant="secondary"
          size="sm"
          onClick={onRestore}
          aria-describedby={promptId}
          icon={<RotateCcw className="size-4" aria-hidden="true" />}
        >
          Restore
        </Button>
        <Button
          variant="danger-ghost"
          size="sm"
          onClick={onDelete}
          aria-describedby={promptId}
          icon={<Trash2 className="size-4" aria-hidden="true" />}
        >
          Delete forever
        </Button>
      </div>
    </Card>
  );
}
