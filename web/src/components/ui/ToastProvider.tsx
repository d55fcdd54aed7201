import { AlertTriangle, CheckCircle2, Info, X } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { cn } from '../../utils/cn';
import { DEFAULT_TOAST_MS, ToastContext, type ToastOptions, type Toasts } from './toast';

interface ShownToast extends ToastOptions {
  id: string;
}

const regionClasses = 'flex w-full flex-col items-center gap-2 sm:items-end';

const icons = { info: Info, success: CheckCircle2, error: AlertTriangle };

/**
 * Holds the toasts and shows them at the foot of the screen. Errors are
 * alerts, read out at once; the others go into a polite live region that is
 * always in the page (a region added together with its text is often not
 * announced), read when the screen reader is idle.
 */
export function ToastProvider({ children, max = 3 }: { children: ReactNode; max?: number }) {
  const [toasts, setToasts] = useState<ShownToast[]>([]);
  const next = useRef(0);

  const dismiss = useCallback((id: string) => {
    setToasts((shown) => shown.filter((t) => t.id !== id));
  }, []);
  const show = useCallback(
    (toast: ToastOptions) => {
      next.current += 1;
      const id = `toast-${next.current}`;
      setToasts((shown) => [...shown, { ...toast, id }].slice(-max));
      return id;
    },
    [max],
  );
  const api = useMemo<Toasts>(() => ({ show, dismiss }), [show, dismiss]);

  const list = (tones: Array<ToastOptions['tone']>) =>
    toasts
      .filter((t) => tones.includes(t.tone))
      .map((t) => <ToastItem key={t.id} toast={t} onDismiss={dismiss} />);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section
        aria-label="Notifications"
        className="pointer-events-none fixed inset-x-0 z-40 flex flex-col p-3 sm:p-6"
        // Above a bar stuck to the foot of the screen (it sets --toast-lift while it shows).
        style={{ bottom: 'var(--toast-lift, 0px)' }}
      >
        {/* An element with role="alert" is read out as it is added: no standing region needed. */}
        <div className={cn(regionClasses, 'not-empty:mb-2')}>{list(['error'])}</div>
        <div role="status" aria-live="polite" className={regionClasses}>
          {list(['info', 'success', undefined])}
        </div>
      </section>
    </ToastContext.Provider>
  );
}

/**
 * One toast. It closes itself after its duration, but the clock stops while
 * the pointer is over it or focus is inside it, so there is time to reach Undo.
 */
function ToastItem({ toast, onDismiss }: { toast: ShownToast; onDismiss: (id: string) => void }) {
  const { id, message, action, tone = 'info' } = toast;
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const left = useRef(toast.duration ?? DEFAULT_TOAST_MS);
  const paused = hovered || focused;

  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = window.setTimeout(() => onDismiss(id), left.current);
    return () => {
      window.clearTimeout(timer);
      left.current = Math.max(0, left.current - (Date.now() - started));
    };
  }, [paused, id, onDismiss]);

  const Icon = icons[tone];
  return (
    <div
      data-testid="toast"
      role={tone === 'error' ? 'alert' : undefined}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false);
      }}
      className={cn(
        'pointer-events-auto flex w-full max-w-sm items-center gap-3 rounded-2xl py-2.5 pl-4 pr-2 text-sm shadow-xl ring-1',
        tone === 'error'
          ? 'bg-red-50 text-red-900 ring-red-200 dark:bg-red-950 dark:text-red-100 dark:ring-red-900'
          : 'bg-zinc-900 text-white ring-black/10 dark:bg-zinc-100 dark:text-zinc-900 dark:ring-white/20',
      )}
    >
      <Icon
        className={cn(
          'size-4 shrink-0',
          tone === 'success' && 'text-emerald-400 dark:text-emerald-600',
          tone === 'info' && 'text-zinc-400 dark:text-zinc-500',
        )}
        aria-hidden="true"
      />
      <p className="min-w-0 flex-1 py-1 break-words">{message}</p>
      {action && (
        <button
          type="button"
          onClick={() => {
            action.onClick();
            onDismiss(id);
          }}
          className={cn(
            'shrink-0 rounded-lg px-3 py-1.5 font-semibold transition',
            tone === 'error'
              ? 'text-red-800 hover:bg-red-100 dark:text-red-100 dark:hover:bg-red-900'
              : 'text-brand-300 hover:bg-white/10 dark:text-brand-700 dark:hover:bg-zinc-900/10',
          )}
        >
          {action.label}
        </button>
      )}
      <button
        type="button"
        aria-label="Dismiss"
        onClick={() => onDismiss(id)}
        className={cn(
          'flex size-8 shrink-0 items-center justify-center rounded-lg transition',
          tone === 'error'
            ? 'hover:bg-red-100 dark:hover:bg-red-900'
            : 'text-zinc-300 hover:bg-white/10 hover:text-white dark:text-zinc-600 dark:hover:bg-zinc-900/10 dark:hover:text-zinc-900',
        )}
      >
        <X className="size-4" aria-hidden="true" />
      </button>
    </div>
  );
}
