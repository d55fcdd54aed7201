/**
 * ZIP exports: the requests, the list of the caller's exports, and the one
 * action a person takes: ask for a ZIP, wait while the server packs it, and
 * have the browser download it.
 *
 * The server builds the ZIP before it answers, which can take minutes for a
 * thousand images, and says nothing about how far along it is: the only
 * progress there is to show is that it is still working.
 */
import { useMutation, useQueryClient, useQuery, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { http } from '../../../lib/client';
import { queryKeys } from '../../../lib/queryKeys';
import type { Export, ExportCreated, ExportList, ExportRequest } from '../../../types/api';

/**
 * Longer than the server takes to pack its largest export (about five
 * minutes); the client's usual timeout would give up on a big one.
 */
export const EXPORT_TIMEOUT_MS = 6 * 60_000;

export async function createExport(body: ExportRequest, signal?: AbortSignal): Promise<Export> {
  const { data } = await http.post<ExportCreated>('/exports', body, {
    signal,
    timeout: EXPORT_TIMEOUT_MS,
  });
  return data.export;
}

export async function listExports(): Promise<ExportList> {
  const { data } = await http.get<ExportList>('/exports');
  return data;
}

/** The caller's exports whose link still works, newest first. */
export function useExports() {
  return useQuery({ queryKey: queryKeys.exports, queryFn: listExports });
}

/**
 * Has the browser download `url`. The link answers with
 * `Content-Disposition: attachment`, so the page stays where it is, even
 * when the link is on another origin (where `download` is ignored).
 */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

function putExport(qc: QueryClient, created: Export) {
  qc.setQueryData<ExportList>(
    queryKeys.exports,
    (list) => list && { items: [created, ...list.items.filter((e) => e.id !== created.id)] },
  );
}

/**
 * Asks for a ZIP of `body`'s images; once it is ready the browser downloads
 * it and the profile's list holds it. `cancel()` stops waiting (the server
 * may still finish it: it then shows on the profile), as does leaving the
 * page.
 */
export function useDownloadExport() {
  const qc = useQueryClient();
  const waiting = useRef<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: async (body: ExportRequest) => {
      waiting.current?.abort();
      const controller = new AbortController();
      waiting.current = controller;
      const created = await createExport(body, controller.signal);
      // Cancelled as the answer came: no download the person said no to.
      if (controller.signal.aborted) throw new DOMException('Stopped waiting', 'AbortError');
      return created;
    },
    onSuccess: (created) => {
      startDownload(created.url);
      putExport(qc, created);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.exports }),
  });

  const { reset } = mutation;
  const cancel = useCallback(() => {
    waiting.current?.abort();
    waiting.current = null;
    reset();
  }, [reset]);
  useEffect(() => () => waiting.current?.abort(), []);

  return { ...mutation, cancel };
}
