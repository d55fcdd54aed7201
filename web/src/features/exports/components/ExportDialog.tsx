import { CheckCircle2, Download, FileArchive } from 'lucide-react';
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { Modal } from '../../../components/ui/Modal';
import { useElapsedSeconds } from '../../../hooks/useElapsedSeconds';
import { useConfig } from '../../../lib/config';
import { formatDateTime } from '../../../utils/format';
import type { useDownloadExport } from '../api/exports';
import { contents, exportFailure, readyLine, type ExportJob } from './words';

/**
 * A bar that says the work goes on, and nothing more: the server does not
 * tell how far along it is, so no share of it is shown.
 */
function Indeterminate({ label }: { label: string }) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuetext="Working…"
      className="h-2.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div className="h-full w-1/3 animate-indeterminate rounded-full bg-linear-to-r from-brand-500 to-fuchsia-500 motion-reduce:w-full motion-reduce:animate-none motion-reduce:opacity-60" />
    </div>
  );
}

/** Keys pressed in the dialog are its own: the toolbar or page beneath must not act on them. */
const keepKeys = (event: KeyboardEvent) => event.stopPropagation();

const seconds = (n: number) => `${n} second${n === 1 ? '' : 's'}`;

/**
 * The ZIP being made: what is packed and for how long so far, with Cancel
 * (which stops waiting); then the ready ZIP, its size and a link to download
 * it again until it expires; or why it could not be made, with Retry when
 * trying again may help. Closing it while the ZIP is made stops waiting.
 */
export default function ExportDialog({
  job,
  download,
  onClose,
}: {
  job: ExportJob;
  download: ReturnType<typeof useDownloadExport>;
  onClose: () => void;
}) {
  const id = useId();
  const limit = useConfig().data?.limits.export_max_images;
  const elapsed = useElapsedSeconds(download.isPending, download.submittedAt || undefined);
  const ready = download.data;

  // Each state replaces the control that had the focus (Cancel, Retry): the
  // focus goes to what can be done next (Download again, Retry or Close), or
  // back to the dialog while the ZIP is made again.
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = panel.current;
    if (download.status === 'success' || download.status === 'error')
      node?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    else if (node && !node.contains(document.activeElement))
      node.closest<HTMLElement>('[role="dialog"]')?.focus();
  }, [download.status]);

  let body;
  if (download.isError) {
    const failure = exportFailure(download.error, job, limit);
    body = (
      <>
        <Alert title={failure.title}>{failure.detail}</Alert>
        <div className="flex flex-wrap justify-end gap-2">
          <Button
            variant="secondary"
            onClick={onClose}
            data-autofocus={!failure.retry || undefined}
          >
            Close
          </Button>
          {failure.retry && (
            <Button onClick={() => download.mutate(job.request)} data-autofocus>
              Retry
            </Button>
          )}
        </div>
      </>
    );
  } else if (ready) {
    body = (
      <>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Your download has started. If it did not, download it again: the link works until{' '}
          {formatDateTime(ready.expires_at)}. Your recent ZIPs are also listed on your{' '}
          <Link
            to="/profile"
            className="font-medium text-zinc-900 underline underline-offset-2 dark:text-white"
          >
            profile
          </Link>
          .
        </p>
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          <a href={ready.url} download className={buttonClasses('primary', 'md')} data-autofocus>
            <Download className="size-4" aria-hidden="true" />
            Download again
          </a>
        </div>
      </>
    );
  } else {
    body = (
      <>
        <div className="flex flex-col gap-2">
          <Indeterminate label="Preparing the ZIP" />
          <p className="flex justify-between gap-3 text-sm text-zinc-600 dark:text-zinc-400">
            <span>The download starts by itself once it is ready.</span>
            <span className="shrink-0 tabular-nums" data-testid="export-elapsed">
              {seconds(elapsed)}
            </span>
          </p>
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A few hundred images can take a minute or more. Cancel stops waiting; a ZIP the server
          finishes anyway shows on your profile.
        </p>
        <div className="flex justify-end">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </>
    );
  }

  return (
    <Modal onClose={onClose} labelledBy={`${id}-title`} className="max-w-md">
      <div ref={panel} className="flex flex-col gap-5 p-6" onKeyDown={keepKeys}>
        <h2 id={`${id}-title`} className="flex items-center gap-2 text-lg font-semibold">
          <FileArchive className="size-5 shrink-0 text-brand-600" aria-hidden="true" />
          Download as ZIP
        </h2>
        {/* One standing live region, so each new state is read out; an error is an alert of its own. */}
        <p role="status" className="-mt-3 flex items-center gap-2 font-medium empty:sr-only">
          {download.isPending && `Preparing a ZIP of ${contents(job)}…`}
          {ready && (
            <>
              <CheckCircle2 className="size-5 shrink-0 text-emerald-600" aria-hidden="true" />
              {readyLine(ready.image_count, ready.bytes)}
            </>
          )}
        </p>
        {body}
      </div>
    </Modal>
  );
}
