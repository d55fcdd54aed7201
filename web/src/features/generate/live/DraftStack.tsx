import { useId, useRef } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '../../../components/ui/Button';
import { useToast } from '../../../components/ui/toast';
import { describeError, toApiError } from '../../../lib/errors';
import type { Draft } from '../../../types/api';
import { useKeepDraftMutation } from './api';
import { DraftCard } from './DraftCard';
import type { StackedDraft } from './stackState';
import type { LiveDrafts } from './useLiveDrafts';

function keepFailure(error: unknown): string {
  return toApiError(error).code === 'not_found'
    ? 'This draft has expired. Keep the ones you like while they last.'
    : describeError(error);
}

/**
 * The drafts of live mode, newest first. While the pointer is over the stack
 * or focus is in it, new drafts wait behind an "n new drafts" button instead
 * of pushing the cards down, so what is being pointed at never moves.
 */
export function DraftStack({
  live,
  onRender,
}: {
  live: Pick<LiveDrafts, 'stack' | 'dispatch' | 'on'>;
  onRender: (draft: Draft) => void;
}) {
  const titleId = useId();
  const { stack, dispatch } = live;
  const keep = useKeepDraftMutation();
  const toast = useToast();
  const navigate = useNavigate();
  const inside = useRef({ pointer: false, focus: false });
  const sync = () =>
    dispatch({ type: inside.current.pointer || inside.current.focus ? 'freeze' : 'release' });
  const waiting = stack.incoming.length;

  function onKeep(item: StackedDraft) {
    keep.mutate(item.draft, {
      onSuccess: (generation) => {
        const image = generation.images[0];
        if (!image) return;
        dispatch({ type: 'kept', draftId: item.draft.id, imageId: image.id });
        toast.show({
          message: 'Draft kept in your gallery',
          tone: 'success',
          action: { label: 'Open', onClick: () => void navigate(`/gallery/${image.id}`) },
        });
      },
      onError: (error) => toast.show({ message: keepFailure(error), tone: 'error' }),
    });
  }

  return (
    <section
      aria-labelledby={titleId}
      className="flex flex-col gap-3"
      data-testid="draft-stack"
      onPointerEnter={() => {
        inside.current.pointer = true;
        sync();
      }}
      onPointerLeave={() => {
        inside.current.pointer = false;
        sync();
      }}
      onFocus={() => {
        inside.current.focus = true;
        sync();
      }}
      onBlur={(event) => {
        if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
        inside.current.focus = false;
        sync();
      }}
    >
      <div className="flex min-h-8 items-center justify-between gap-3">
        <h2 id={titleId} className="text-lg font-semibold">
          Drafts
        </h2>
        {waiting > 0 && (
          <Button variant="ghost" size="sm" onClick={() => dispatch({ type: 'reveal' })}>
            {waiting} new draft{waiting === 1 ? '' : 's'}
          </Button>
        )}
      </div>
      {stack.shown.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          {live.on ? 'Start typing: drafts appear here.' : 'Turn Live on to draft as you type.'}
        </p>
      ) : (
        <ol className="grid grid-cols-2 gap-3 sm:grid-cols-3">
          {stack.shown.map((item) => (
            <li key={item.draft.id}>
              <DraftCard
                item={item}
                keeping={keep.isPending && keep.variables?.id === item.draft.id}
                onKeep={() => onKeep(item)}
                onRender={() => onRender(item.draft)}
              />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
