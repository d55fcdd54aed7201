import { Clock, RotateCcw, Trash2 } from 'lucide-react';
import { useId } from 'react';
import type { Image } from '../../../types/api';
import { SignedImage } from '../../../components/image/SignedImage';
import { Button } from '../../../components/ui/Button';
import { Card } from '../../../components/ui/Card';
import { formatDateTime, timeUntil } from '../../../utils/format';

/**
 * One image in the trash: what it was, when it will be gone, and the two ways
 * out. The buttons name the prompt as their description, so "Restore" is
 * never ambiguous to a screen reader going from button to button.
 */
export function TrashItem({
  image,
  now,
  refetch,
  onRestore,
  onDelete,
}: {
  image: Image;
  now: number;
  refetch: () => Promise<unknown>;
  onRestore: () => void;
  onDelete: () => void;
}) {
  const promptId = useId();
  return (
    <Card className="flex gap-3 p-3 sm:gap-4" data-trash-item={image.id}>
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
        className="size-20 shrink-0 rounded-xl object-cover sm:size-24"
        fallbackClassName="size-20 shrink-0 rounded-xl sm:size-24"
        style={{ backgroundColor: image.placeholder ?? undefined }}
      />
      <div className="min-w-0 flex-1">
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
        <div className="mt-3 flex flex-wrap gap-2">
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
            variant="ghost"
            size="sm"
            onClick={onDelete}
            aria-describedby={promptId}
            className="text-red-700 hover:bg-red-50 hover:text-red-800 dark:text-red-400 dark:hover:bg-red-950/40 dark:hover:text-red-300"
            icon={<Trash2 className="size-4" aria-hidden="true" />}
          >
            Delete forever
          </Button>
        </div>
      </div>
    </Card>
  );
}
