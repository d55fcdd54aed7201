import { useId } from 'react';
import { cn } from '../../../utils/cn';

/**
 * Live mode's on/off switch: a real switch (a button with role="switch" and
 * aria-checked), so Space and Enter toggle it and it is read as on or off.
 */
export function LiveSwitch({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const hintId = useId();
  return (
    <div className="flex items-center justify-between gap-3">
      <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
        Drafts appear as you type, at the fastest settings.
      </p>
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-describedby={hintId}
        onClick={() => onChange(!checked)}
        className="inline-flex shrink-0 items-center gap-2 rounded-full py-1 pl-1 pr-2.5 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <span
          aria-hidden="true"
          className={cn(
            'relative h-6 w-10 rounded-full transition-colors',
            checked ? 'bg-brand-600' : 'bg-zinc-300 dark:bg-zinc-700',
          )}
        >
          <span
            className={cn(
              'absolute left-0 top-0.5 size-5 rounded-full bg-white shadow transition-transform motion-reduce:transition-none',
              checked ? 'translate-x-[18px]' : 'translate-x-0.5',
            )}
          />
        </span>
        Live
      </button>
    </div>
  );
}
