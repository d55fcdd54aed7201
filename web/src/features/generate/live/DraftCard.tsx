import { BookmarkPlus, Check, Sparkles } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/ui/Button';
import { buttonClasses } from '../../../components/ui/buttonStyles';
import { PromptDiff } from '../../../components/prompt/PromptDiff';
import { TimeAndCost } from '../../../components/image/TimeAndCost';
import { shorten } from '../../../utils/format';
import type { StackedDraft } from './stackState';

/** One draft: its picture, time and cost, what its prompt changed, and what to do with it. */
export function DraftCard({
  item,
  keeping,
  onKeep,
  onRender,
}: {
  item: StackedDraft;
  keeping: boolean;
  onKeep: () => void;
  onRender: () => void;
}) {
  const { draft, previousPrompt, keptImageId } = item;
  const name = shorten(draft.prompt, 60);
  // A draft's URL lasts as long as the draft: a picture that no longer loads has expired.
  const [gone, setGone] = useState(false);
  return (
    <article
      className="flex h-full flex-col overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900"
      data-testid="draft"
    >
      {gone ? (
        <div className="flex aspect-square w-full items-center justify-center bg-zinc-100 p-4 text-center text-sm text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
          This draft has expired.
        </div>
      ) : (
        <img
          src={draft.url}
          alt={draft.prompt}
          width={draft.width}
          height={draft.height}
          decoding="async"
          onError={() => setGone(true)}
          className="aspect-square w-full bg-zinc-100 object-cover dark:bg-zinc-800"
        />
      )}
      <div className="flex flex-1 flex-col gap-2 p-3">
        <p
          className="line-clamp-3 text-sm text-zinc-700 dark:text-zinc-300"
          data-testid="draft-prompt"
        >
          {previousPrompt === null ? (
            draft.prompt
          ) : (
            <PromptDiff base={previousPrompt} prompt={draft.prompt} />
          )}
        </p>
        <TimeAndCost
          ms={draft.timings.total_ms}
          costUsd={draft.cost_usd}
          className="text-xs text-zinc-500 dark:text-zinc-400"
        />
        <div className="mt-auto grid grid-cols-2 gap-1.5">
          {keptImageId ? (
            <Link
              to={`/gallery/${keptImageId}`}
              className={buttonClasses('secondary', 'sm', 'gap-1 px-1.5 text-xs')}
              aria-label={`Kept: open ${name} in the gallery`}
            >
              <Check className="size-4" aria-hidden="true" />
              Kept
            </Link>
          ) : (
            <Button
              variant="secondary"
              size="sm"
              className="gap-1 px-1.5 text-xs"
              busy={keeping}
              disabled={gone}
              onClick={onKeep}
              aria-label={`Keep draft: ${name}`}
              icon={<BookmarkPlus className="size-4" aria-hidden="true" />}
            >
              Keep
            </Button>
          )}
          <Button
            variant="secondary"
            size="sm"
            className="gap-1 px-1.5 text-xs"
            onClick={onRender}
            aria-label={`Full render: ${name}`}
            title="Render at full settings, with this draft's seed"
            icon={<Sparkles className="size-4" aria-hidden="true" />}
          >
            Full render
          </Button>
        </div>
      </div>
    </article>
  );
}
