import { Share2 } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { Button } from '../../../components/ui/Button';
import type { ButtonSize } from '../../../components/ui/buttonStyles';
import type { ShareTarget } from '../api/shares';

// Only wanted once asked for: its code loads on the first press.
const ShareDialog = lazy(() => import('./ShareDialog'));

/** "Share": opens the dialog that makes, shows and stops `target`'s link. */
export function ShareButton({
  target,
  name,
  size = 'md',
}: {
  target: ShareTarget;
  /** The collection's name, for the dialog's title. */
  name?: string;
  size?: ButtonSize;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="secondary"
        size={size}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        icon={<Share2 className="size-4" aria-hidden="true" />}
      >
        Share
      </Button>
      {open && (
        <Suspense fallback={null}>
          <ShareDialog target={target} name={name} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
