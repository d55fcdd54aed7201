import { ScanSearch } from 'lucide-react';
import { useId } from 'react';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { useElapsedSeconds } from '../../../hooks/useElapsedSeconds';
import { describeError, formatRetryAfter, toApiError } from '../../../lib/errors';
import type { Image, Reproduction } from '../../../types/api';
import { useReproduceImage } from '../api/reproduce';

/** "3.4", or "less than 0.1" for a difference too small to show at one decimal. */
function percent(difference: number): string {
  const shown = (difference * 100).toFixed(1);
  return shown === '0.0' && difference > 0 ? 'less than 0.1' : shown;
}

function Outcome({ result }: { result: Reproduction }) {
  if (result.identical) {
    return (
      <Alert tone="success" title="Identical — the recipe reproduces this image byte for byte" />
    );
  }
  return (
    <Alert tone="info" title={`Differs by ${percent(result.difference)} %`}>
      {result.difference === 0
        ? 'The pixels are the same; only the file’s bytes differ, as its encoding can.'
        : 'The same prompt, seed and settings made a slightly different picture. Hosted models may not be deterministic: their hardware and software can change between runs.'}
    </Alert>
  );
}

/** A quota or rate limit in the server's own words; anything else as the app says it. */
function failure(error: unknown): string {
  const err = toApiError(error);
  if (err.status !== 429 || !err.detail) return describeError(err);
  const wait = err.retryAfter != null ? ` Try again in ${formatRetryAfter(err.retryAfter)}.` : '';
  return `${err.detail}${wait}`;
}

/**
 * "Check reproducibility": generates the image again from its recipe and
 * shows whether it came out the same. Slow, and it costs an image of the
 * month's quota, which the button's description says.
 */
export function ReproduceCheck({ image }: { image: Image }) {
  const id = useId();
  const check = useReproduceImage();
  const seconds = useElapsedSeconds(check.isPending);

  return (
    <div className="flex flex-col gap-3">
      <div>
        <Button
          variant="secondary"
          busy={check.isPending}
          onClick={() => check.mutate(image)}
          aria-describedby={`${id}-about`}
          icon={<ScanSearch className="size-4" aria-hidden="true" />}
        >
          Check reproducibility
        </Button>
        <p id={`${id}-about`} className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400">
          Generates the image again from its recipe and compares the two; nothing is saved. It takes
          a while and counts as one image of this month’s quota.
        </p>
      </div>
      {check.isPending && (
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          Generating the image again to compare…{' '}
          <span aria-hidden="true" className="tabular-nums">
            {seconds} s
          </span>
        </p>
      )}
      {check.isSuccess && <Outcome result={check.data} />}
      {check.isError && <Alert>{failure(check.error)}</Alert>}
    </div>
  );
}
