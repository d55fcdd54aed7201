/**
 * One action on many images (POST /api/images/bulk), each image succeeding
 * or failing on its own: the request runner the gallery's, the trash's and
 * the collections' bulk actions share.
 */
import type { BulkAction, BulkOutcome, BulkRequest, Image } from '../types/api';
import { http } from './client';
import { toApiError } from './errors';

/** The most ids one request may carry. */
export const BULK_MAX_IDS = 100;

export async function bulkImages(request: BulkRequest): Promise<BulkOutcome> {
  const { data } = await http.post<BulkOutcome>('/images/bulk', request);
  return data;
}

export interface BulkOptions {
  /** With `trash`: move favourites too. */
  includeFavorites?: boolean;
  /** With `add_to_collection` and `remove_from_collection`. */
  collectionId?: string;
}

/**
 * `action` on every id, in requests of at most 100. A failed request fails
 * the whole action only when nothing has been done yet; after that, the ids
 * it carried and those still to go are reported as failed, with its reason.
 */
export async function runBulk(
  action: BulkAction,
  ids: string[],
  { includeFavorites = false, collectionId }: BulkOptions = {},
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { succeeded: [], failed: [] };
  for (let from = 0; from < ids.length; from += BULK_MAX_IDS) {
    const request: BulkRequest = { action, ids: ids.slice(from, from + BULK_MAX_IDS) };
    if (action === 'trash') request.include_favorites = includeFavorites;
    if (collectionId !== undefined) request.collection_id = collectionId;
    try {
      const answer = await bulkImages(request);
      outcome.succeeded.push(...answer.succeeded);
      outcome.failed.push(...answer.failed);
    } catch (error) {
      if (from === 0) throw error;
      const { code } = toApiError(error);
      outcome.failed.push(...ids.slice(from).map((id) => ({ id, code })));
      break;
    }
  }
  return outcome;
}

export const idsOf = (images: Image[]) => images.map((i) => i.id);

/** The images of `images` that `outcome` says failed. */
export function failedOf<T extends { id: string }>(images: T[], outcome: BulkOutcome): T[] {
  const failed = new Set(outcome.failed.map((f) => f.id));
  return images.filter((i) => failed.has(i.id));
}
