import { Link2 } from 'lucide-react';
import { cn } from '../../../utils/cn';

/**
 * Marks a card whose image or collection has a share link: a link icon on
 * the picture, read as "Shared".
 */
export function SharedBadge({ className }: { className?: string }) {
  return (
    <span
      title="Shared: anyone with its link can see it"
      className={cn(
        'pointer-events-none inline-flex size-7 items-center justify-center rounded-full bg-black/55 text-white shadow backdrop-blur',
        className,
      )}
      data-testid="shared-badge"
    >
      <Link2 className="size-3.5" aria-hidden="true" />
      <span className="sr-only">Shared</span>
    </span>
  );
}
