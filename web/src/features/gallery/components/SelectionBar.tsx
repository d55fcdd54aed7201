import { X } from 'lucide-react';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { Button } from '../../../components/ui/Button';

/** ←/→ (and Home/End) move between the toolbar's buttons, as in any toolbar. */
function moveFocus(event: KeyboardEvent<HTMLElement>) {
  const keys = ['ArrowLeft', 'ArrowRight', 'Home', 'End'];
  if (!keys.includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
  const buttons = Array.from(
    event.currentTarget.querySelectorAll<HTMLElement>('button:not([disabled])'),
  );
  const at = buttons.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  const to =
    event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? buttons.length - 1
        : (at + (event.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length;
  event.preventDefault();
  buttons[to]?.focus();
}

/**
 * The bar of what can be done with the selected images: how many, Clear, and
 * the actions. It sticks to the foot of the screen below the list it belongs
 * to, and takes its own room at the end of that list, so scrolled to the end
 * nothing is hidden under it. Toasts rise above it while it shows.
 */
export function SelectionBar({
  count,
  label,
  onClear,
  children,
}: {
  count: number;
  /** The toolbar's name, such as "Selected images". */
  label: string;
  onClear: () => void;
  children: ReactNode;
}) {
  const bar = useRef<HTMLDivElement>(null);
  // Toasts rise to just above the bar, wherever it is: stuck to the foot of
  // the screen, or higher up at the end of a short list.
  const lift = useCallback(() => {
    const top = bar.current?.getBoundingClientRect().top ?? window.innerHeight;
    const px = Math.max(0, Math.round(window.innerHeight - top));
    document.documentElement.style.setProperty('--toast-lift', `${px}px`);
  }, []);
  useLayoutEffect(lift);
  useEffect(() => {
    let frame = 0;
    const later = () => {
      if (frame) return;
      frame = window.requestAnimationFrame(() => {
        frame = 0;
        lift();
      });
    };
    window.addEventListener('resize', later);
    window.addEventListener('scroll', later, { passive: true });
    return () => {
      window.cancelAnimationFrame(frame);
      window.removeEventListener('resize', later);
      window.removeEventListener('scroll', later);
      document.documentElement.style.removeProperty('--toast-lift');
    };
  }, [lift]);

  return (
    <div ref={bar} className="sticky bottom-0 z-20 pb-3 pt-4 sm:pb-6">
      <div
        role="toolbar"
        aria-label={label}
        onKeyDown={moveFocus}
        className="mx-auto flex max-w-3xl flex-wrap items-center gap-2 rounded-2xl border border-zinc-200 bg-white/95 p-2 shadow-xl backdrop-blur dark:border-zinc-700 dark:bg-zinc-900/95"
      >
        <p
          role="status"
          className="min-w-0 flex-1 px-2 text-sm font-semibold tabular-nums sm:flex-none"
        >
          {count} selected
        </p>
        <Button
          variant="ghost"
          size="sm"
          onClick={onClear}
          title="Clear the selection (Esc)"
          icon={<X className="size-4" aria-hidden="true" />}
        >
          Clear
        </Button>
        {/* On a phone, two to a row: a long name ("Remove from collection") wraps in its button. */}
        <div className="grid w-full grid-cols-2 gap-2 max-sm:[&>button]:h-auto max-sm:[&>button]:min-h-8 max-sm:[&>button]:py-1.5 max-sm:[&>button]:leading-tight max-sm:[&>button]:whitespace-normal sm:ml-auto sm:flex sm:w-auto sm:flex-wrap sm:justify-end">
          {children}
        </div>
      </div>
    </div>
  );
}
