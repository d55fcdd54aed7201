/** The words exports speak with: what a ZIP holds, and why one could not be made. */
import { describeError, toApiError } from '../../../lib/errors';
import type { ExportRequest } from '../../../types/api';
import { formatBytes, formatNumber } from '../../../utils/format';

/** One ZIP to make: what goes in it, and how the page names it. */
export interface ExportJob {
  request: ExportRequest;
  /** How many images it will hold, when the page knows; else `what` names them. */
  count?: number | null;
  /** What it holds, for when the count is not known ("your favourites"). */
  what?: string;
}

/** "1 image", "1,240 images". */
export const imageCount = (n: number) => `${formatNumber(n)} image${n === 1 ? '' : 's'}`;

/** "240 images", or what the job holds when the count is not known: "your images". */
export const contents = (job: ExportJob) =>
  job.count != null ? imageCount(job.count) : (job.what ?? 'your images');

/** "Your ZIP is ready (240 images, 12.3 MB)". */
export const readyLine = (count: number, bytes: number) =>
  `Your ZIP is ready (${imageCount(count)}, ${formatBytes(bytes)})`;

/** Why a button cannot make its ZIP, if it cannot: too many images, or none. */
export function unavailable(count: number | null | undefined, limit: number | undefined) {
  if (count === 0) return 'There are no images to download.';
  if (count != null && limit != null && count > limit)
    return `A ZIP holds at most ${imageCount(limit)}: select fewer.`;
  return undefined;
}

/** The refusal, in words that say what to do about it. */
export function exportFailure(
  error: unknown,
  job: ExportJob,
  limit: number | undefined,
): { title: string; detail: string; retry: boolean } {
  const err = toApiError(error);
  switch (err.code) {
    case 'too_many_images':
      return {
        title: 'Too many images for one ZIP',
        detail:
          limit != null
            ? `A ZIP holds at most ${imageCount(limit)}${job.count != null ? `, and this would hold ${formatNumber(job.count)}` : ''}. Select fewer images and try again.`
            : `${err.detail ?? 'There are more images than one ZIP may hold.'} Select fewer images and try again.`,
        retry: false,
      };
    case 'nothing_to_export':
      return {
        title: 'Nothing to download',
        detail: 'There are no images to put in a ZIP here. Images in the trash are left out.',
        retry: false,
      };
    case 'not_found':
      return {
        title: 'Some of it is gone',
        detail: job.request.ids
          ? 'An image you selected is in the trash or was deleted. Select again and try once more.'
          : (err.detail ?? 'This collection no longer exists.'),
        retry: false,
      };
    default:
      return { title: "Couldn't make the ZIP", detail: describeError(err), retry: true };
  }
}
