import { ExternalLink, Link2, Link2Off, X } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { CopyField } from '../../../components/ui/CopyField';
import { Modal } from '../../../components/ui/Modal';
import { Switch } from '../../../components/ui/Switch';
import { describeError } from '../../../lib/errors';
import { useSaveShare, useShareOf, type ShareTarget } from '../api/shares';
import { SharesUnknown } from './SharesUnknown';
import { StopSharingDialog } from './StopSharingDialog';
import { promptSwitchLabel, thingShared } from './words';

/** Keys pressed in the dialog are its own: the page beneath (the detail's arrow keys) must not act on them. */
const keepKeys = (event: KeyboardEvent) => event.stopPropagation();

function PromptSwitch({
  target,
  checked,
  onChange,
  busy,
}: {
  target: ShareTarget;
  checked: boolean;
  onChange: (checked: boolean) => void;
  busy?: boolean;
}) {
  const hintId = useId();
  return (
    <div>
      <Switch checked={checked} onChange={onChange} busy={busy} describedBy={hintId}>
        {promptSwitchLabel(target)}
      </Switch>
      <p id={hintId} className="mt-1 pl-13 text-xs text-zinc-500 dark:text-zinc-400">
        {target.kind === 'image'
          ? 'The page shows the prompt, and link previews use it as their description.'
          : 'The page shows the prompt of each image.'}
      </p>
    </div>
  );
}

/**
 * Sharing one image or collection: make its link (with the prompt shown or
 * not), then copy it, open it, change whether it shows the prompt, or stop
 * sharing it. What is shared comes from the list of the caller's links, so
 * the dialog, the badges and the profile always agree.
 */
export default function ShareDialog({
  target,
  name,
  onClose,
}: {
  target: ShareTarget;
  /** The collection's name, for the title. */
  name?: string;
  onClose: () => void;
}) {
  const id = useId();
  const { shares, share } = useShareOf(target);
  const save = useSaveShare(target);
  /** Whether a link made here will show the prompt. */
  const [showPrompt, setShowPrompt] = useState(false);
  const [stopping, setStopping] = useState(false);
  /**
   * The token of the link just stopped: shown as gone at once, in the same
   * render that closes the question, so the focus has somewhere to go.
   */
  const [stopped, setStopped] = useState<string | null>(null);
  const shown = share && share.token !== stopped ? share : null;
  const what = thingShared(target, name);

  // A link just made: the focus goes to it (the Create button is gone).
  const focusLink = useRef(false);
  useEffect(() => {
    if (shown && focusLink.current) {
      focusLink.current = false;
      document.getElementById(`${id}-link`)?.focus();
    }
  }, [shown, id]);

  function create() {
    setStopped(null);
    focusLink.current = true;
    save.mutate(showPrompt, { onError: () => (focusLink.current = false) });
  }

  let body;
  if (!shares.data) {
    body = (
      <SharesUnknown
        shares={shares}
        failure="Couldn't check whether it is shared"
        className="h-28"
      />
    );
  } else if (!shown) {
    body = (
      <>
        {stopped && (
          <Alert tone="success" title="Sharing stopped">
            The link no longer works.
          </Alert>
        )}
        <PromptSwitch target={target} checked={showPrompt} onChange={setShowPrompt} />
        {save.isError && <Alert>{describeError(save.error)}</Alert>}
        <div className="flex justify-end">
          <Button
            id={`${id}-create`}
            onClick={create}
            busy={save.isPending}
            data-autofocus
            icon={<Link2 className="size-4" aria-hidden="true" />}
          >
            Create link
          </Button>
        </div>
      </>
    );
  } else {
    // While a change is on its way, the switch shows what was asked.
    const asked = save.isPending ? save.variables : undefined;
    body = (
      <>
        <CopyField
          id={`${id}-link`}
          label="Link"
          value={shown.url}
          copyLabel="Copy link"
          autoFocus
        />
        <PromptSwitch
          target={target}
          checked={asked ?? shown.show_prompt}
          onChange={(checked) => save.mutate(checked)}
          busy={save.isPending}
        />
        {save.isError && <Alert>{describeError(save.error)}</Alert>}
        <div className="flex flex-wrap items-center justify-between gap-2">
          <a
            href={shown.url}
            target="_blank"
            rel="noopener noreferrer"
            className={buttonClasses('secondary', 'md')}
          >
            <ExternalLink className="size-4" aria-hidden="true" />
            Open
            <span className="sr-only"> (in a new tab)</span>
          </a>
          <Button
            id={`${id}-stop`}
            variant="danger-ghost"
            onClick={() => setStopping(true)}
            icon={<Link2Off className="size-4" aria-hidden="true" />}
          >
            Stop sharing
          </Button>
        </div>
        {stopping && (
          <StopSharingDialog
            target={target}
            what={what}
            onClose={() => setStopping(false)}
            onStopped={() => {
              save.reset();
              setShowPrompt(shown.show_prompt);
              setStopped(shown.token);
              setStopping(false);
            }}
            afterStop={() => document.getElementById(`${id}-create`)}
          />
        )}
      </>
    );
  }

  return (
    <Modal
      onClose={onClose}
      labelledBy={`${id}-title`}
      describedBy={`${id}-about`}
      className="max-w-lg"
    >
      <div className="flex flex-col gap-5 p-6" onKeyDown={keepKeys}>
        <div className="flex items-start justify-between gap-3">
          <h2 id={`${id}-title`} className="min-w-0 break-words text-lg font-semibold">
            Share {what}
          </h2>
          <Button
            variant="ghost"
            size="icon"
            onClick={onClose}
            aria-label="Close"
            className="-mr-2 -mt-2 shrink-0"
            icon={<X className="size-5" aria-hidden="true" />}
          />
        </div>
        <p id={`${id}-about`} className="-mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          {target.kind === 'image'
            ? 'Anyone with the link can see this image, without signing in.'
            : 'Anyone with the link can see the images in this collection, without signing in.'}{' '}
          Nothing else of yours is shown.
        </p>
        {body}
      </div>
    </Modal>
  );
}
