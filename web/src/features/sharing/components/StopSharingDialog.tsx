import { useRef } from 'react';
import { Alert } from '../../../components/ui/Alert';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { describeError } from '../../../lib/errors';
import { useStopSharing, type ShareTarget } from '../api/shares';

/**
 * Asks before stopping a link (`what`: "this image", "“Trips”"), then stops
 * it; says why if the server refuses. `onStopped` runs once the link is
 * gone, and the focus then goes to `afterStop()`, the control that took the
 * place of the one that asked.
 */
export function StopSharingDialog({
  target,
  what,
  onClose,
  onStopped,
  afterStop,
}: {
  target: ShareTarget;
  what: string;
  onClose: () => void;
  onStopped: () => void;
  afterStop: () => HTMLElement | null;
}) {
  const stop = useStopSharing();
  const stopped = useRef(false);
  const confirm = () =>
    stop.mutate(target, {
      onSuccess: () => {
        stopped.current = true;
        onStopped();
      },
    });

  return (
    <ConfirmDialog
      title={`Stop sharing ${what}?`}
      confirmLabel="Stop sharing"
      danger
      busy={stop.isPending}
      onConfirm={confirm}
      onCancel={onClose}
      error={stop.isError && <Alert>{describeError(stop.error)}</Alert>}
      returnFocusTo={() => (stopped.current ? afterStop() : null)}
    >
      Its link stops working at once, for everyone who has it. Sharing again makes a new link.
    </ConfirmDialog>
  );
}
