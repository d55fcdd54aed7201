import { diffWords } from '../../utils/wordDiff';

/**
 * A prompt with its differences from the first image's marked: added words
 * underlined in <ins>, missing ones struck through in <del>, each also named
 * in words for screen readers ("added", "removed"), so nothing rests on colour.
 */
export function PromptDiff({ base, prompt }: { base: string; prompt: string }) {
  const parts = diffWords(base, prompt);
  return (
    <>
      {parts.map((part, i) => {
        const space = i > 0 ? ' ' : '';
        if (part.kind === 'added') {
          return (
            <span key={i}>
              {space}
              <ins className="rounded bg-emerald-100 px-0.5 text-emerald-950 underline decoration-2 underline-offset-2 dark:bg-emerald-500/20 dark:text-emerald-100">
                <span className="sr-only">added: </span>
                {part.text}
              </ins>
            </span>
          );
        }
        if (part.kind === 'removed') {
          return (
            <span key={i}>
              {space}
              <del className="rounded bg-red-100 px-0.5 text-red-950 line-through decoration-2 dark:bg-red-500/20 dark:text-red-100">
                <span className="sr-only">removed: </span>
                {part.text}
              </del>
            </span>
          );
        }
        return (
          <span key={i}>
            {space}
            {part.text}
          </span>
        );
      })}
    </>
  );
}
