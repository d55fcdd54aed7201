/**
 * Share links: the requests, the list of the caller's links, and making,
 * changing and stopping one.
 *
 * The list (`GET /api/shares`) is the one place that says whether an image or
 * a collection is shared: the dialog, the badges and the profile all read it,
 * and every change updates it at once and then refetches it.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { toApiError } from '../../../lib/errors';
import { queryKeys } from '../../../lib/queryKeys';
import type { Share, ShareKind, ShareList, ShareRequest, ShareResponse } from '../../../types/api';

/** What a link shows: one image or one collection. */
export interface ShareTarget {
  kind: ShareKind;
  id: string;
}

const sharePath = ({ kind, id }: ShareTarget) =>
  `/${kind === 'image' ? 'images' : 'collections'}/${encodeURIComponent(id)}/share`;

export const targetOf = (share: Share): ShareTarget => ({ kind: share.kind, id: share.target_id });

const isShareOf = (target: ShareTarget) => (share: Share) =>
  share.kind === target.kind && share.target_id === target.id;

export async function listShares(): Promise<ShareList> {
  const { data } = await http.get<ShareList>('/shares');
  return data;
}

/**
 * Shares `target`, or, when it already is, sets whether its page shows the
 * prompt: the server answers the link either way.
 */
export async function saveShare(target: ShareTarget, showPrompt: boolean): Promise<Share> {
  const body: ShareRequest = { show_prompt: showPrompt };
  const { data } = await http.post<ShareResponse>(sharePath(target), body);
  return data.share;
}

/** Stops sharing `target`: its link stops working at once. */
export async function stopSharing(target: ShareTarget): Promise<void> {
  await http.delete(sharePath(target));
}

/** Every link of the caller, newest first. */
export function useShares() {
  return useQuery({ queryKey: queryKeys.shares, queryFn: listShares });
}

/** `target`'s link: null when it is not shared, undefined until the list is known. */
export function useShareOf(target: ShareTarget) {
  const shares = useShares();
  const share = shares.data && (shares.data.items.find(isShareOf(target)) ?? null);
  return { shares, share };
}

function putShare(qc: QueryClient, share: Share) {
  qc.setQueryData<ShareList>(queryKeys.shares, (list) => {
    if (!list) return list;
    const at = list.items.findIndex(isShareOf(targetOf(share)));
    if (at < 0) return { items: [share, ...list.items] };
    return { items: list.items.map((s, i) => (i === at ? share : s)) };
  });
}

function takeShare(qc: QueryClient, target: ShareTarget) {
  const other = (share: Share) => !isShareOf(target)(share);
  qc.setQueryData<ShareList>(
    queryKeys.shares,
    (list) => list && { items: list.items.filter(other) },
  );
}

/**
 * Shares `target` with the prompt shown or not, or changes that for its
 * existing link (the same request: the server answers the link it has).
 */
export function useSaveShare(target: ShareTarget) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (showPrompt: boolean) => saveShare(target, showPrompt),
    onSuccess: (share) => putShare(qc, share),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.shares }),
  });
}

/**
 * Stops sharing a target. A 404 means it was not shared (any more): the
 * link does not work, which is what was asked, so that counts as done.
 */
export function useStopSharing() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (target: ShareTarget) => {
      try {
        await stopSharing(target);
      } catch (error) {
        if (toApiError(error).status !== 404) throw error;
      }
    },
    onSuccess: (_void, target) => takeShare(qc, target),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.shares }),
  });
}
