import { Download } from 'lucide-react';
import { describeError } from '../../lib/errors';
import { useDownloadImage } from '../../lib/images';
import type { Image } from '../../types/api';
import { Button } from '../ui/Button';
import type { ButtonSize } from '../ui/buttonStyles';

/** Saves the original file; a failure shows as the button's tooltip and an alert. */
export function DownloadButton({
  image,
  size = 'md',
  className,
  labelClassName,
  label = 'Download',
}: {
  image: Pick<Image, 'id' | 'content_type'>;
  size?: ButtonSize;
  className?: string;
  labelClassName?: string;
  /** The accessible name, when the visible word is not enough. */
  label?: string;
}) {
  const download = useDownloadImage();
  return (
    <>
      <Button
        variant="secondary"
        size={size}
        className={className}
        busy={download.isPending}
        onClick={() => download.mutate(image)}
        aria-label={label === 'Download' ? undefined : label}
        title={download.isError ? describeError(download.error) : 'Download'}
        icon={<Download className="size-4" aria-hidden="true" />}
      >
        <span className={labelClassName}>Download</span>
      </Button>
      {download.isError && (
        <span role="alert" className="sr-only">
          Download failed: {describeError(download.error)}
        </span>
      )}
    </>
  );
}
