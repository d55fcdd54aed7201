import { Images, RotateCcw, Trash2 } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useConfig } from '../../../lib/config';
import { describeError } from '../../../lib/errors';
import type { BulkOutcome, Image } from '../../../types/api';
import { failedOf } from '../../../lib/bulk';
import { useBulkDeleteForever, useBulkRestore } from '../api/bulk';
import { useDeleteForever, useEmptyTrash, useRestoreImage, useTrash } from '../api/trash';
import { images, partly } from '../../../lib/bulkText';
import { SelectionBar } from '../components/SelectionBar';
import { TrashItem } from '../components/TrashItem';
import { useMultiselect, useSelectionKeys } from '../hooks/useMultiselect';
import { PageHeader } from '../../../components/layout/PageHeader';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useToast } from '../../../components/ui/toast';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useInView } from '../../../hooks/useInView';
import { useNow } from '../../../hooks/useNow';
import { shorten } from '../../../utils/format';

/**
 * The first row after those of `ids` that stays (before them, at the end),
 * by its first button; or the page itself once no row is left: where focus
 * goes when rows leave.
 */
function focusAfterLeaving(...ids: string[]): HTMLElement | null {
  const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-trash-item]'));
  const stays = (row: HTMLElement) => !ids.includes(row.dataset.trashItem ?? '');
  const first = Math.max(
    rows.findIndex((row) => !stays(row)),
    0,
  );
  const next = rows.slice(first).find(stays) ?? rows.slice(0, first).reverse().find(stays);
  return next?.querySelector<HTMLElement>('button') ?? document.getElementById('main');
}

type Question =
  | { kind: 'delete'; image: Image }
  | { kind: 'delete-selected'; images: Image[] }
  | { kind: 'empty' };

/**
 * /trash — images moved to the trash, most recently trashed first, each with
 * when it will be deleted for good, Restore and Delete forever; and Empty trash.
 * `trashCount` is the account's count (its usage), for the Empty trash question
 * when not every page is loaded.
 */
export default function TrashPage({ trashCount }: { trashCount?: number }) {
  useDocumentTitle('Trash');
  const trash = useTrash();
  const config = useConfig();
  const toast = useToast();
  const now = useNow(60_000);
  const { mutateAsync: restore } = useRestoreImage();
  const { mutateAsync: deleteForever } = useDeleteForever();
  const empty = useEmptyTrash();
  const { mutateAsync: restoreMany } = useBulkRestore();
  const { mutateAsync: deleteMany } = useBulkDeleteForever();
  const [question, setQuestion] = useState<Question | null>(null);
  const focusAfterQuestion = useRef<HTMLElement | null>(null);

  const { data, hasNextPage, isFetchingNextPage, fetchNextPage, refetch } = trash;
  const items = data?.pages.flatMap((p) => p.items) ?? [];
  const selection = useMultiselect(items, 'trash');
  const listAndBar = useRef<HTMLDivElement>(null);
  useSelectionKeys(listAndBar, selection);
  const selecting = selection.count > 0;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const sentinel = useInView<HTMLDivElement>(loadMore, Boolean(hasNextPage));
  // Many thumbnails may find their links expired at once: they share one refetch.
  const refetchPages = useCallback(() => refetch({ cancelRefetch: false }), [refetch]);

  const days = config.data?.limits.trash_retention_days;
  const keptFor = days ? `for ${days} day${days === 1 ? '' : 's'}` : 'for a while';
  // Every page loaded: the list is the truth. Otherwise the account's count, if it adds up.
  const count = !hasNextPage
    ? items.length
    : trashCount !== undefined && trashCount >= items.length
      ? trashCount
      : undefined;

  function restoreItem(image: Image) {
    focusAfterLeaving(image.id)?.focus({ preventScroll: true });
    restore(image).then(
      () => toast.show({ tone: 'success', message: 'Restored to the gallery.' }),
      (error: unknown) =>
        toast.show({
          tone: 'error',
          message: `Couldn’t restore the image. ${describeError(error)}`,
        }),
    );
  }

  function deleteItem(image: Image) {
    focusAfterQuestion.current = focusAfterLeaving(image.id);
    setQuestion(null);
    deleteForever(image).then(
      () => toast.show({ tone: 'success', message: 'Deleted for good.' }),
      (error: unknown) =>
        toast.show({
          tone: 'error',
          message: `Couldn’t delete the image. ${describeError(error)}`,
        }),
    );
  }

  /**
   * Says how a bulk action went: how many it did, or which images it could
   * not do (selected again, so they can be tried again) and why.
   */
  function report(
    chosen: Image[],
    run: Promise<BulkOutcome>,
    words: { done: (n: number) => string; partly: string; failed: string },
  ) {
    run.then(
      (outcome) => {
        if (outcome.failed.length === 0) {
          toast.show({ tone: 'success', message: words.done(outcome.succeeded.length) });
          return;
        }
        selection.selectOnly(failedOf(chosen, outcome).map((i) => i.id));
        toast.show({
          tone: 'error',
          message: partly(outcome.succeeded.length, words.partly, outcome.failed),
        });
      },
      (error: unknown) => {
        selection.selectOnly(chosen.map((i) => i.id));
        toast.show({ tone: 'error', message: `${words.failed} ${describeError(error)}` });
      },
    );
  }

  function restoreSelected() {
    const chosen = selection.selected;
    focusAfterLeaving(...chosen.map((i) => i.id))?.focus({ preventScroll: true });
    selection.clear();
    report(chosen, restoreMany(chosen), {
      done: (n) => `Restored ${images(n)} to the gallery.`,
      partly: 'restored to the gallery',
      failed: 'Couldn’t restore the images.',
    });
  }

  function deleteSelected(chosen: Image[]) {
    focusAfterQuestion.current = focusAfterLeaving(...chosen.map((i) => i.id));
    setQuestion(null);
    selection.clear();
    report(chosen, deleteMany(chosen), {
      done: (n) => `Deleted ${images(n)} for good.`,
      partly: 'deleted for good',
      failed: 'Couldn’t delete the images.',
    });
  }

  function emptyAll() {
    empty.mutate(undefined, {
      onSuccess: ({ deleted }) => {
        focusAfterQuestion.current = document.getElementById('main');
        setQuestion(null);
        toast.show({ tone: 'success', message: `Deleted ${images(deleted)}.` });
      },
    });
  }

  function ask(next: Question) {
    focusAfterQuestion.current = null;
    empty.reset();
    setQuestion(next);
  }

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <PageHeader
        title="Trash"
        description={`Deleted images stay here ${keptFor}, then they are deleted for good.`}
        actions={
          items.length > 0 && (
            <Button
              variant="secondary"
              onClick={() => ask({ kind: 'empty' })}
              icon={<Trash2 className="size-4" aria-hidden="true" />}
            >
              Empty trash
            </Button>
          )
        }
      />

      <div className="mt-6" aria-busy={trash.isFetching}>
        {trash.isPending ? (
          <div className="grid gap-3 lg:grid-cols-2" aria-hidden="true">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-28 rounded-2xl sm:h-32" />
            ))}
          </div>
        ) : trash.isError && !data ? (
          <Alert title="Couldn't load the trash" onRetry={() => void refetch()}>
            {describeError(trash.error)}
          </Alert>
        ) : items.length === 0 ? (
          <EmptyState
            icon={<Trash2 className="size-7" aria-hidden="true" />}
            title="Trash is empty"
            action={
              <Link to="/gallery" className={buttonClasses('secondary', 'md')}>
                <Images className="size-4" aria-hidden="true" />
                Back to the gallery
              </Link>
            }
          >
            Deleted images stay here {keptFor}.
          </EmptyState>
        ) : (
          <div ref={listAndBar}>
            <ul className="grid gap-3 lg:grid-cols-2" aria-label="Images in the trash">
              {items.map((image) => (
                <li key={image.id}>
                  <TrashItem
                    image={image}
                    now={now}
                    refetch={refetchPages}
                    onRestore={() => restoreItem(image)}
                    onDelete={() => ask({ kind: 'delete', image })}
                    selecting={selecting}
                    selected={selection.isSelected(image.id)}
                    onToggle={(range) => selection.toggle(image.id, range)}
                  />
                </li>
              ))}
            </ul>
            <div ref={sentinel} className="mt-8 flex flex-col items-center gap-3">
              {trash.isFetchNextPageError && !isFetchingNextPage && (
                <Alert title="Couldn't load more images" className="w-full max-w-md">
                  {describeError(trash.error)}
                </Alert>
              )}
              {hasNextPage && (
                <Button variant="secondary" onClick={loadMore} busy={isFetchingNextPage}>
                  {isFetchingNextPage ? 'Loading…' : 'Load more'}
                </Button>
              )}
            </div>
            {selecting && (
              <SelectionBar
                count={selection.count}
                label="Selected images"
                onClear={selection.clear}
              >
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={restoreSelected}
                  icon={<RotateCcw className="size-4" aria-hidden="true" />}
                >
                  Restore
                </Button>
                <Button
                  variant="danger"
                  size="sm"
                  onClick={() => ask({ kind: 'delete-selected', images: selection.selected })}
                  icon={<Trash2 className="size-4" aria-hidden="true" />}
                >
                  Delete forever
                </Button>
              </SelectionBar>
            )}
          </div>
        )}
      </div>

      {question?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete this image for good?"
          confirmLabel="Delete forever"
          danger
          onConfirm={() => deleteItem(question.image)}
          onCancel={() => setQuestion(null)}
          returnFocusTo={() => focusAfterQuestion.current}
        >
          “{shorten(question.image.prompt)}” will be gone from your trash. This can’t be undone.
        </ConfirmDialog>
      )}
      {question?.kind === 'delete-selected' && (
        <ConfirmDialog
          title={`Delete ${images(question.images.length)} for good?`}
          confirmLabel="Delete forever"
          danger
          onConfirm={() => deleteSelected(question.images)}
          onCancel={() => setQuestion(null)}
          returnFocusTo={() => focusAfterQuestion.current}
        >
          {question.images.length === 1
            ? 'The selected image will be gone from your trash.'
            : `The ${question.images.length} selected images will be gone from your trash.`}{' '}
          This can’t be undone.
        </ConfirmDialog>
      )}
      {question?.kind === 'empty' && (
        <ConfirmDialog
          title="Empty the trash?"
          confirmLabel="Empty trash"
          danger
          busy={empty.isPending}
          onConfirm={emptyAll}
          onCancel={() => setQuestion(null)}
          returnFocusTo={() => focusAfterQuestion.current}
          error={empty.isError && <Alert>{describeError(empty.error)}</Alert>}
        >
          {count === undefined
            ? 'Every image in the trash will be deleted for good.'
            : count === 1
              ? 'The 1 image in the trash will be deleted for good.'
              : `All ${images(count)} in the trash will be deleted for good.`}{' '}
          This can’t be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}
