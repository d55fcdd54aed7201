import { FileArchive } from 'lucide-react';
import { lazy, Suspense, useId, useState } from 'react';
import { Button } from '../../../components/ui/Button';
import type { ButtonSize, ButtonVariant } from '../../../components/ui/buttonStyles';
import { cn } from '../../../utils/cn';
import { useDownloadExport } from '../api/exports';
import type { ExportJob } from './words';

// Only wanted once asked for: its code loads with the first ZIP.
const ExportDialog = lazy(() => import('./ExportDialog'));

/**
 * "Download as ZIP": asks the server for a ZIP of `job`'s images, shows it
 * being made, and has the browser download it. With an `unavailable` reason
 * (too many images, none) it stays focusable but does nothing, and says why.
 */
export function DownloadZipButton({
  job,
  label = 'Download as ZIP',
  unavailable,
  variant = 'secondary',
  size = 'md',
  className,
}: {
  job: ExportJob;
  label?: string;
  unavailable?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
}) {
  const download = useDownloadExport();
  const [open, setOpen] = useState(false);
  const reasonId = useId();

  function start() {
    if (unavailable) return;
    setOpen(true);
    download.mutate(job.request);
  }

  return (
    <>
      <Button
        variant={variant}
        size={size}
        className={cn(className, unavailable && 'cursor-not-allowed!')}
        aria-haspopup="dialog"
        aria-disabled={unavailable ? true : undefined}
        aria-describedby={unavailable ? reasonId : undefined}
        title={unavailable}
        onClick={start}
        icon={<FileArchive className="size-4" aria-hidden="true" />}
      >
        {label}
      </Button>
      {unavailable && (
        <span id={reasonId} hidden>
          {unavailable}
        </span>
      )}
      {open && (
        <Suspense fallback={null}>
          <ExportDialog
            job={job}
            download={download}
            onClose={() => {
              download.cancel();
              setOpen(false);
            }}
          />
        </Suspense>
      )}
    </>
  );
}
