import type { ReactNode } from 'react';
import { cn } from '../../utils/cn';

/**
 * An on/off switch: a real one (a button with role="switch" and
 * aria-checked), so Space and Enter toggle it and it is read as on or off.
 * `children` is its visible name. While `busy`, it stays focusable and
 * ignores presses.
 */
export function Switch({
  checked,
  onChange,
  children,
  describedBy,
  busy = false,
  className,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
  describedBy?: string;
  busy?: boolean;
  className?: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-describedby={describedBy}
      aria-busy={busy || undefined}
      aria-disabled={busy || undefined}
      onClick={() => {
        if (!busy) onChange(!checked);
      }}
      className={cn(
        'inline-flex shrink-0 items-center gap-2 rounded-full py-1 pl-1 pr-2.5 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 aria-disabled:cursor-wait aria-disabled:opacity-70',
        className,
      )}
    >
      <span
        aria-hidden="true"
        className={cn(
          'relative h-6 w-10 shrink-0 rounded-full transition-colors',
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
      {children}
    </button>
  );
}
